"""An Inspect sandbox backed by bubblewrap: the model's commands never run as the evaluator.

Each `exec` runs in a fresh bubblewrap container: a read-only view of the system alone (`/usr`,
`/etc`, `/opt`: none of the evaluator's projects, logs, keys or home), a private `/tmp`, the
sample's workspace at `/home/agent` (the only writable place that outlives the command), no
network (not even loopback to the host), its own process tree that dies with the command, and
limits on memory and processes. Run by root, bubblewrap
mounts and then drops to the unprivileged `nobody` (uid 65534), so nothing of root's is in
reach; run by another user, it maps that user to `nobody` inside its user namespace.

Registered as sandbox type `bwrap` through Inspect's extension point (`@sandboxenv`), so any
task can ask for it; `evals.common.agentic` picks it when no Docker engine answers.
"""

from __future__ import annotations

import os
import shutil
import subprocess as host_subprocess
import sysconfig
import tempfile
from pathlib import Path, PurePosixPath
from typing import Literal, overload

from inspect_ai.util import (
    ExecResult,
    SandboxEnvironment,
    SandboxEnvironmentConfigType,
    sandboxenv,
    subprocess,
)

WORKSPACE = PurePosixPath("/home/agent")
NOBODY = 65534
MEMORY_BYTES = 2 * 1024**3
PROCESSES = 256  # per uid: all of nobody's processes on the host count towards it
OUTPUT_LIMIT = 10 * 1024**2
# the packages the tasks' python needs (numpy), mounted read-only for the system python
PACKAGES = PurePosixPath("/run/rsp-packages")  # /run is a fresh tmpfs: the mount point can be made


class SandboxUnavailable(ValueError):
    """bubblewrap is missing or cannot create a container here; the message says why."""


def bwrap_problem() -> str | None:
    """Why the bwrap sandbox cannot be used here, or None when it works."""
    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed (Debian: apt-get install bubblewrap)"
    with tempfile.TemporaryDirectory(prefix="rsp-bwrap-probe-") as probe:
        try:
            done = host_subprocess.run(_command(Path(probe), ["true"]), capture_output=True,
                                       timeout=30)
        except (OSError, host_subprocess.TimeoutExpired) as exc:
            return f"bubblewrap cannot start ({exc})"
    if done.returncode != 0:
        return f"bubblewrap cannot create a container here ({done.stderr.decode().strip()})"
    return None


def _command(workspace: Path, cmd: list[str], cwd: str = str(WORKSPACE),
             env: dict[str, str] | None = None) -> list[str]:
    """The host command that runs `cmd` contained, in `cwd` (a path inside the container)."""
    variables = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(WORKSPACE),
                 "LANG": "C.UTF-8", "PYTHONPATH": str(PACKAGES),
                 "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    as_root = os.geteuid() == 0
    args = ["bwrap", *_system(), "--dev", "/dev", "--proc", "/proc",
            "--perms", "1777", "--tmpfs", "/tmp", "--dir", "/home", "--dir", "/run",
            "--bind", str(workspace), str(WORKSPACE),
            "--ro-bind", sysconfig.get_paths()["purelib"], str(PACKAGES),
            "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session",
            "--chdir", cwd, "--clearenv"]
    args += [x for name, value in variables.items() for x in ("--setenv", name, value)]
    if as_root:  # mount as root, then become nobody for real: root's files stay out of reach
        args += ["--", "setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    else:  # an unprivileged user gets a user namespace in which it is nobody
        args[1:1] = ["--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY)]
        args += ["--"]
    return [*args, "prlimit", f"--as={MEMORY_BYTES}", f"--nproc={PROCESSES}", "--", *cmd]


# Only the system itself is visible, read-only: not the evaluator's projects, logs or keys.
SYSTEM_DIRS = ("/usr", "/etc", "/opt")


def _system() -> list[str]:
    """Read-only mounts of the system, and the top-level links a merged-/usr system has."""
    args = [x for d in SYSTEM_DIRS if Path(d).is_dir() for x in ("--ro-bind", d, d)]
    for name in ("bin", "lib", "lib64", "sbin"):
        top = Path("/") / name
        if top.is_symlink():
            args += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            args += ["--ro-bind", str(top), str(top)]
    return args


@sandboxenv(name="bwrap")
class BwrapSandboxEnvironment(SandboxEnvironment):
    """One sample's container: a private workspace, every command contained."""

    @classmethod
    async def task_init(cls, task_name: str, config: SandboxEnvironmentConfigType | None) -> None:
        problem = bwrap_problem()
        if problem is not None:  # refuse before any sample: never fall back to the bare host
            raise SandboxUnavailable(f"The bwrap sandbox cannot run {task_name}: {problem}.")

    @classmethod
    async def sample_init(cls, task_name: str, config: SandboxEnvironmentConfigType | None,
                          metadata: dict[str, str]) -> dict[str, SandboxEnvironment]:
        return {"default": cls()}

    @classmethod
    async def sample_cleanup(cls, task_name: str, config: SandboxEnvironmentConfigType | None,
                             environments: dict[str, SandboxEnvironment],
                             interrupted: bool) -> None:
        for environment in environments.values():
            environment.as_type(cls).remove()

    def __init__(self) -> None:
        super().__init__()
        # a root-only parent: other users (and other samples, as nobody) cannot list it
        self.root = Path(tempfile.mkdtemp(prefix="rsp-bwrap-"))
        self.workspace = self.root / "agent"
        self.workspace.mkdir()
        self._own(self.workspace)

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    async def exec(self, cmd: list[str], input: str | bytes | None = None,
                   cwd: str | None = None, env: dict[str, str] | None = None,
                   user: str | None = None, timeout: int | None = None,
                   timeout_retry: bool = True, concurrency: bool = True) -> ExecResult[str]:
        inside = str(WORKSPACE / (cwd or ".")) if not (cwd or "").startswith("/") else cwd
        return await subprocess(_command(self.workspace, cmd, inside or str(WORKSPACE), env),
                                input=input, timeout=timeout, output_limit=OUTPUT_LIMIT,
                                concurrency=concurrency)

    async def write_file(self, file: str, contents: str | bytes) -> None:
        path = self._host_path(file)
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in reversed(path.relative_to(self.workspace).parents):
            self._own(self.workspace / parent)
        if isinstance(contents, str):
            path.write_text(contents, encoding="utf-8")
        else:
            path.write_bytes(contents)
        self._own(path)

    @overload
    async def read_file(self, file: str, text: Literal[True] = True) -> str: ...

    @overload
    async def read_file(self, file: str, text: Literal[False]) -> bytes: ...

    async def read_file(self, file: str, text: bool = True) -> str | bytes:
        path = self._host_path(file)
        return path.read_text(encoding="utf-8") if text else path.read_bytes()

    def _host_path(self, file: str) -> Path:
        """Where a path inside the container lies on the host: only in the workspace."""
        inside = PurePosixPath(file)
        if inside.is_absolute():
            if not inside.is_relative_to(WORKSPACE):
                raise PermissionError(f"{file} is outside the sandbox's workspace {WORKSPACE}")
            inside = inside.relative_to(WORKSPACE)
        # resolved, so that a symbolic link the model planted cannot point the host outside
        path = (self.workspace / inside).resolve()
        if not path.is_relative_to(self.workspace.resolve()):
            raise PermissionError(f"{file} leads outside the sandbox's workspace")
        return path

    @staticmethod
    def _own(path: Path) -> None:
        if os.geteuid() == 0:
            os.chown(path, NOBODY, NOBODY, follow_symlinks=False)
