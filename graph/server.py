"""The embedded Neo4j: start, find, wait for and stop the launcher JVM.

Why here and not a service manager: a fund analyst's laptop has no Docker and no
Neo4j, so ringscope runs its own Neo4j 5 Community (``graph/launcher``, built by
``make setup``) under ``RINGSCOPE_HOME``. A pid file plus a lock file make a
second ``start`` find the running server instead of launching another; Neo4j's
store lock would refuse a second JVM anyway, but this way it is never tried.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from neo4j.exceptions import AuthError

from ringscope.errors import ServerError
from ringscope.graph.db import bolt_answers
from ringscope.settings import Settings

__all__ = ["EmbeddedServer", "ServerStatus", "launcher_classpath", "LAUNCHER_DIR", "GDS_LIB_DIR"]

LAUNCHER_DIR = Path(__file__).resolve().parent / "launcher" / "target"
# Optional Graph Data Science jars (graph/gds, not built by `make setup`): a peer for benchmarks only.
GDS_LIB_DIR = Path(__file__).resolve().parent / "gds" / "target" / "lib"
_MAIN_CLASS = "org.ringscope.launcher.Launcher"
# The JVMs this process launched: kept referenced so they are reaped by poll()
# rather than reported as leaked when their Popen objects are collected.
_LAUNCHED: dict[int, subprocess.Popen] = {}


def launcher_classpath(*, gds: bool = False) -> str:
    """Classpath of the built launcher, also usable for ``org.neo4j.cli.AdminTool``.

    ``gds=True`` appends the Graph Data Science jars built from graph/gds.
    """
    jar = LAUNCHER_DIR / "ringscope-neo4j-launcher.jar"
    if not jar.is_file():
        raise ServerError(f"the embedded Neo4j launcher is not built ({jar} is missing); run `make setup`")
    classpath = f"{jar}{os.pathsep}{LAUNCHER_DIR / 'lib'}{os.sep}*"
    if gds:
        if not any(GDS_LIB_DIR.glob("opengds-extension-*.jar")):
            raise ServerError(f"Graph Data Science is not built ({GDS_LIB_DIR} has no opengds-extension jar); "
                              "run `mvn -q -B -f graph/gds/pom.xml package`")
        classpath += f"{os.pathsep}{GDS_LIB_DIR}{os.sep}*"
    return classpath


def java_executable() -> str:
    java_home = os.environ.get("JAVA_HOME")
    candidate = Path(java_home, "bin", "java") if java_home else None
    found = str(candidate) if candidate and candidate.is_file() else shutil.which("java")
    if not found:
        raise ServerError("no `java` found (Java 17 or newer is needed); set JAVA_HOME or install a JDK")
    return found


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    uri: str
    home: Path

    def describe(self) -> str:
        state = f"running (pid {self.pid})" if self.running else "stopped"
        return f"embedded Neo4j {state} at {self.uri}, data under {self.home}"


def _process_alive(pid: int) -> bool:
    if pid in _LAUNCHED:
        return _LAUNCHED[pid].poll() is None
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)
        if reaped == pid:
            return False
    except ChildProcessError:
        pass
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


#: a line of a Java stack trace that names a frame, not what went wrong
_STACK_FRAME = re.compile(r"^\s+(at |\.\.\. \d+ (more|common frames omitted))")


class EmbeddedServer:
    """One embedded Neo4j under ``settings.home``.

    Layout: ``home/neo4j/{conf,data,logs}`` is the Neo4j home,
    ``home/neo4j-password`` (mode 0600) the generated password,
    ``home/neo4j.pid`` the running JVM, ``home/neo4j/logs/launcher.log`` its output.
    ``gds=True`` starts it with Graph Data Science (``gds.*`` procedures unrestricted);
    it only matters when this object starts the JVM, not when it finds one running.
    """

    def __init__(self, settings: Settings, *, gds: bool = False):
        if settings.external:
            raise ServerError("NEO4J_URI is set: ringscope uses that server and starts none of its own")
        self.settings = settings
        self.home = settings.home
        self.neo4j_home = self.home / "neo4j"
        self.password_file = self.home / "neo4j-password"
        self.pid_file = self.home / "neo4j.pid"
        self.log_file = self.neo4j_home / "logs" / "launcher.log"
        self.uri = f"bolt://127.0.0.1:{settings.bolt_port}"
        self.gds = gds

    # -- state ------------------------------------------------------------

    def password(self) -> str:
        """The generated password, created (mode 0600) on first use."""
        self.home.mkdir(parents=True, exist_ok=True)
        if not self.password_file.exists():
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(secrets.token_urlsafe(24))
        return self.password_file.read_text(encoding="utf-8").strip()

    def _recorded_pid(self) -> int | None:
        try:
            record = json.loads(self.pid_file.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        pid = record.get("pid")
        if not isinstance(pid, int) or not _process_alive(pid):
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except FileNotFoundError:
            return None
        return pid if _MAIN_CLASS in cmdline and str(self.neo4j_home) in cmdline else None

    def status(self) -> ServerStatus:
        pid = self._recorded_pid()
        return ServerStatus(running=pid is not None, pid=pid, uri=self.uri, home=self.home)

    def bolt_answers(self) -> bool:
        return bolt_answers(self.uri, ("neo4j", self.password()))

    # -- lifecycle ----------------------------------------------------------

    @contextmanager
    def _lock(self) -> Iterator[None]:
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.home / "neo4j.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def start(self) -> ServerStatus:
        """Start the server unless it runs already; return once Bolt answers."""
        with self._lock():
            pid = self._recorded_pid()
            if pid is None:
                pid = self._spawn()
            self._wait_for_bolt(pid)
        return self.status()

    def _spawn(self) -> int:
        password_file = self.password_file
        self.password()
        (self.neo4j_home / "logs").mkdir(parents=True, exist_ok=True)
        heap = self.settings.neo4j_heap
        command = [
            java_executable(), f"-Xms{heap}", f"-Xmx{heap}", "-XX:+UseG1GC",
            "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8",
            "-cp", launcher_classpath(gds=self.gds), _MAIN_CLASS,
            "--home", str(self.neo4j_home),
            "--port", str(self.settings.bolt_port),
            "--password-file", str(password_file),
            "--pagecache", str(self.settings.neo4j_pagecache_bytes),
        ]
        if self.gds:
            command += ["--plugin-dir", str(GDS_LIB_DIR), "--unrestricted-procedures", "gds.*"]
        with open(self.log_file, "ab") as log:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True, cwd=self.home)
        _LAUNCHED[process.pid] = process
        self.pid_file.write_text(json.dumps({"pid": process.pid, "port": self.settings.bolt_port}),
                                 encoding="utf-8")
        return process.pid

    def _wait_for_bolt(self, pid: int) -> None:
        deadline = time.monotonic() + self.settings.start_timeout_s
        while time.monotonic() < deadline:
            if not _process_alive(pid):
                raise ServerError(f"embedded Neo4j exited during start-up; last log lines: {self._log_tail()}")
            try:
                if self.bolt_answers():
                    return
            except AuthError as error:
                raise ServerError(f"embedded Neo4j refused the password in {self.password_file}: {error}") from error
            time.sleep(0.3)
        raise ServerError(f"embedded Neo4j did not answer Bolt on {self.uri} within "
                          f"{self.settings.start_timeout_s} s; see {self.log_file}")

    def _log_tail(self, lines: int = 5) -> str:
        """The log's last ``lines`` lines, a Java stack trace's frames left out: what a failed
        start-up says (the exception and what caused it, a full disk, a port in use) comes before
        its frames, and the last lines of a trace are only frames."""
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        except FileNotFoundError:
            return "(no log)"
        said = [line for line in text if not _STACK_FRAME.match(line)]
        return " | ".join(said[-lines:])

    def stop(self, timeout_s: float = 120) -> bool:
        """SIGTERM the server and wait for its clean shutdown; False if it was not running."""
        with self._lock():
            pid = self._recorded_pid()
            if pid is None:
                self.pid_file.unlink(missing_ok=True)
                return False
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout_s
            while _process_alive(pid):
                if time.monotonic() > deadline:
                    os.kill(pid, signal.SIGKILL)
                    raise ServerError(f"embedded Neo4j (pid {pid}) did not stop within {timeout_s} s; killed it")
                time.sleep(0.2)
            self.pid_file.unlink(missing_ok=True)
            return True
