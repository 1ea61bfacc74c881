"""A priority queue of tasks that supports cancellation."""

import heapq
import itertools


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
        self._heap = []  # [priority, sequence number, task_id, payload, alive]
        self._entries = {}  # task_id -> its live heap entry
        self._counter = itertools.count()

    def push(self, task_id, priority, payload=None):
        if task_id in self._entries:
            raise ValueError(f"task {task_id!r} is already queued")
        entry = [priority, next(self._counter), task_id, payload, True]
        self._entries[task_id] = entry
        heapq.heappush(self._heap, entry[:2] + [entry])

    def _drop_dead(self):
        while self._heap and not self._heap[0][2][4]:
            heapq.heappop(self._heap)

    def pop(self):
        self._drop_dead()
        if not self._heap:
            raise IndexError("pop from an empty TaskQueue")
        entry = heapq.heappop(self._heap)[2]
        entry[4] = False
        del self._entries[entry[2]]
        return entry[2], entry[3]

    def peek(self):
        self._drop_dead()
        return self._heap[0][2][2] if self._heap else None

    def cancel(self, task_id):
        entry = self._entries.pop(task_id, None)
        if entry is None:
            return False
        entry[4] = False
        return True

    def reprioritize(self, task_id, priority):
        if task_id not in self._entries:
            raise KeyError(task_id)
        payload = self._entries[task_id][3]
        self.cancel(task_id)
        self.push(task_id, priority, payload)

    def __len__(self):
        return len(self._entries)

    def __contains__(self, task_id):
        return task_id in self._entries
