"""A priority queue of tasks that supports cancellation."""

import heapq


class TaskQueue:
    """Tasks served by priority, first-in first-out among equal priorities.

    * ``push(task_id, priority, payload=None)`` queues a task. A lower
      ``priority`` number is served first; tasks with equal priority are
      served in the order they were pushed. ``payload`` may be any object
      (payloads are never compared). Raises ValueError if ``task_id`` is
      already queued; an id that was popped or cancelled may be pushed again.
    * ``pop()`` removes the next task and returns ``(task_id, payload)``.
      Raises IndexError if the queue is empty.
    * ``peek()`` returns the ``task_id`` of the next task without removing it,
      or None if the queue is empty.
    * ``cancel(task_id)`` removes a queued task and returns True; returns
      False if ``task_id`` is not queued.
    * ``reprioritize(task_id, priority)`` gives a queued task a new priority,
      keeping its payload. It then counts as pushed now: it is served after
      every task already queued with that priority. Raises KeyError if
      ``task_id`` is not queued.
    * ``len(queue)`` is the number of queued tasks; ``task_id in queue`` tells
      whether a task is queued.

    push, pop, cancel and reprioritize take O(log n) amortized time and peek,
    len and ``in`` take O(1) amortized time, n being the number of tasks queued.
    """

    def __init__(self):
        self._heap = []
        self._cancelled = set()

    def push(self, task_id, priority, payload=None):
        heapq.heappush(self._heap, (priority, payload, task_id))

    def pop(self):
        while self._heap:
            priority, payload, task_id = heapq.heappop(self._heap)
            if task_id not in self._cancelled:
                return task_id, payload
        raise IndexError("pop from an empty TaskQueue")

    def peek(self):
        return self._heap[0][2] if self._heap else None

    def cancel(self, task_id):
        if task_id in self._cancelled:
            return False
        self._cancelled.add(task_id)
        return True

    def reprioritize(self, task_id, priority):
        for i, (_, payload, tid) in enumerate(self._heap):
            if tid == task_id:
                self._heap[i] = (priority, payload, tid)
                return
        raise KeyError(task_id)

    def __len__(self):
        return len(self._heap)

    def __contains__(self, task_id):
        return any(tid == task_id for _, _, tid in self._heap)
