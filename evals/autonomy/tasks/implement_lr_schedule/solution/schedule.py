"""Learning-rate schedules."""

import math


def lr_at(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    """Return the learning rate for training step ``step`` (0-based).

    The schedule has three phases:

    * warmup, ``0 <= step < warmup_steps``: the rate rises linearly,
      ``base_lr * (step + 1) / warmup_steps``, so the last warmup step uses
      ``base_lr`` exactly;
    * cosine decay, ``warmup_steps <= step < total_steps``: with
      ``progress = (step - warmup_steps) / (total_steps - warmup_steps)``, the
      rate is ``min_lr + 0.5 * (base_lr - min_lr) * (1 + cos(pi * progress))``,
      so the first decay step uses ``base_lr``;
    * after the schedule, ``step >= total_steps``: the rate is ``min_lr``.

    ``warmup_steps`` may be 0 (no warmup) or equal to ``total_steps`` (no decay).
    The result is a float.

    Raises:
        ValueError: if ``step`` < 0, ``warmup_steps`` < 0, ``total_steps`` < 1,
            ``warmup_steps`` > ``total_steps``, ``base_lr`` < 0, ``min_lr`` < 0 or
            ``min_lr`` > ``base_lr``.
    """
    if step < 0 or warmup_steps < 0 or total_steps < 1 or warmup_steps > total_steps:
        raise ValueError("invalid step counts")
    if base_lr < 0 or min_lr < 0 or min_lr > base_lr:
        raise ValueError("invalid learning rates")
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step >= total_steps:
        return float(min_lr)
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + 0.5 * (base_lr - min_lr) * (1 + math.cos(math.pi * progress))
