"""The one base of every error a user can fix.

Each is raised with a message that names the thing and the fix; front ends print it (the CLI
exits 2) or show it, and never a traceback. An error that is not an `RspError` is a bug.
"""


class RspError(Exception):
    """Bad input or an unusable registry, with what to do about it in the message."""
