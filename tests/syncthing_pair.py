"""Two real Syncthing instances on loopback (no discovery, no relays), sharing one folder: for the end-to-end
sync test. Waiting is done on Syncthing's own event stream (long polls with a deadline), not with sleeps."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

STIGNORE = "(?d).*.tmp\n(?d).~*\n(?d)*.part\n"

CONFIG = """<configuration version="36">
  <folder id="loyalty" label="loyalty" path="{folder}" type="sendreceive" rescanIntervalS="3600"
          fsWatcherEnabled="false" ignorePerms="false" autoNormalize="true">
    <device id="{me}"></device>
    <device id="{peer}"></device>
    <minDiskFree unit="%">0</minDiskFree>
  </folder>
  <device id="{me}" name="me" compression="metadata" introducer="false"><address>dynamic</address></device>
  <device id="{peer}" name="peer" compression="metadata" introducer="false">
    <address>tcp://127.0.0.1:{peer_port}</address>
  </device>
  <gui enabled="true" tls="false"><address>127.0.0.1:{gui_port}</address><apikey>{key}</apikey></gui>
  <options>
    <listenAddress>tcp://127.0.0.1:{port}</listenAddress>
    <globalAnnounceEnabled>false</globalAnnounceEnabled>
    <localAnnounceEnabled>false</localAnnounceEnabled>
    <relaysEnabled>false</relaysEnabled>
    <natEnabled>false</natEnabled>
    <urAccepted>-1</urAccepted>
    <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
    <crashReportingEnabled>false</crashReportingEnabled>
    <startBrowser>false</startBrowser>
    <minHomeDiskFree unit="%">0</minHomeDiskFree>
  </options>
</configuration>
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Instance:
    home: Path
    folder: Path
    port: int
    gui_port: int
    key: str
    device_id: str = ""
    process: subprocess.Popen | None = None
    last_event: int = 0
    api_ready: threading.Event = field(default_factory=threading.Event)
    log: list[str] = field(default_factory=list)

    def api(self, path: str, method: str = "GET", timeout: float = 10) -> object:
        req = urllib.request.Request(f"http://127.0.0.1:{self.gui_port}{path}", method=method,
                                     headers={"X-API-Key": self.key})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def wait_events(self, seconds: float) -> list[dict]:
        """Block until Syncthing reports something (or the time is up)."""
        events = self.api(f"/rest/events?since={self.last_event}&timeout={max(1, int(seconds))}",
                          timeout=seconds + 5)
        assert isinstance(events, list)
        if events:
            self.last_event = max(e["id"] for e in events)
        return events

    def scan(self) -> None:
        self.api("/rest/db/scan?folder=loyalty", method="POST")


class SyncthingPair:
    def __init__(self, root: Path) -> None:
        self.a = self._make(root / "st-a")
        self.b = self._make(root / "st-b")

    @staticmethod
    def _make(base: Path) -> Instance:
        folder = base / "shared"
        folder.mkdir(parents=True)
        (folder / ".stignore").write_text(STIGNORE)
        (folder / ".stfolder").mkdir()  # Syncthing's marker that the folder is really there
        inst = Instance(base / "home", folder, free_port(), free_port(), f"key-{base.name}")
        subprocess.run(["syncthing", "generate", f"--home={inst.home}", "--no-default-folder"], check=True,
                       capture_output=True)
        out = subprocess.run(["syncthing", "serve", f"--home={inst.home}", "--device-id"], check=True,
                             capture_output=True, text=True)
        inst.device_id = out.stdout.strip()
        return inst

    def start(self) -> None:
        for me, peer in ((self.a, self.b), (self.b, self.a)):
            (me.home / "config.xml").write_text(CONFIG.format(
                folder=me.folder, me=me.device_id, peer=peer.device_id, peer_port=peer.port,
                gui_port=me.gui_port, key=me.key, port=me.port))
            me.process = subprocess.Popen(
                ["syncthing", "serve", f"--home={me.home}", "--no-browser", "--no-restart", "--no-upgrade",
                 "--no-default-folder"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            me.api_ready = threading.Event()
            threading.Thread(target=_drain, args=(me,), daemon=True).start()
        for me in (self.a, self.b):
            if not me.api_ready.wait(60):
                raise AssertionError(f"Syncthing did not start its API: {''.join(me.log[-20:])}")
        self.wait_connected(True)

    def connected(self) -> bool:
        conns = self.a.api("/rest/system/connections")
        assert isinstance(conns, dict)
        return bool(conns["connections"].get(self.b.device_id, {}).get("connected"))

    def wait_connected(self, want: bool, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.connected() == want:
                return
            self.a.wait_events(2)
        raise AssertionError(f"the two Syncthing instances did not {'connect' if want else 'disconnect'}")

    def pause(self) -> None:
        self.a.api(f"/rest/system/pause?device={self.b.device_id}", method="POST")
        self.b.api(f"/rest/system/pause?device={self.a.device_id}", method="POST")
        self.wait_connected(False)

    def resume(self) -> None:
        self.a.api(f"/rest/system/resume?device={self.b.device_id}", method="POST")
        self.b.api(f"/rest/system/resume?device={self.a.device_id}", method="POST")
        self.wait_connected(True)

    def stop(self) -> None:
        for inst in (self.a, self.b):
            if inst.process and inst.process.poll() is None:
                inst.process.terminate()
                try:
                    inst.process.wait(10)
                except subprocess.TimeoutExpired:
                    inst.process.kill()


def _drain(inst: Instance) -> None:
    """Keep reading Syncthing's log (so its pipe never fills) and flag when its API is listening."""
    assert inst.process is not None and inst.process.stdout is not None
    for line in inst.process.stdout:
        inst.log.append(line)
        if "API listening on" in line:
            inst.api_ready.set()


def have_syncthing() -> bool:
    return shutil.which("syncthing") is not None
