"""A tiny Chrome DevTools Protocol client over ``--remote-debugging-pipe`` (standard library only).

Chromium reads NUL-terminated JSON commands on fd 3 and writes replies and events on fd 4: no websocket, no
driver binary, no download. Used by the report tests to measure a page (scroll width, offsets) and take
screenshots at a given viewport width; the page itself runs no script (its CSP forbids it), the measuring
runs in the DevTools isolated world through ``Runtime.evaluate``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import subprocess
import time
from pathlib import Path


class CDPError(RuntimeError):
    pass


class Chromium:
    """One headless Chromium with a DevTools pipe; ``page(width, height)`` opens a tab of that viewport."""

    def __init__(self, binary: str, flags: list[str], profile: Path, extra: tuple[str, ...] = ()):
        profile.mkdir(parents=True, exist_ok=True)
        to_child_r, self._w = os.pipe()
        self._r, from_child_w = os.pipe()
        # the child sees our pipe ends as fd 3 (its commands) and fd 4 (its replies)
        self.proc = subprocess.Popen(
            [binary, *flags, f"--user-data-dir={profile}", "--remote-debugging-pipe", *extra, "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),  # kept open: preexec_fn put our pipes there
            preexec_fn=_fds_to_3_4(to_child_r, from_child_w),
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._next = 0
        self.events: list[dict] = []

    # ------------------------------------------------------------------ protocol
    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout=60.0) -> dict:
        self._next += 1
        msg: dict = {"id": self._next, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPError("Chromium did not answer in time")
            ready, _, _ = select.select([self._r], [], [], left)
            if ready:
                chunk = os.read(self._r, 1 << 20)
                if not chunk:
                    raise CDPError("Chromium closed the DevTools pipe")
                self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def wait_event(self, method: str, session: str, timeout: float = 60.0) -> dict:
        deadline = time.monotonic() + timeout
        for i, e in enumerate(self.events):
            if e.get("method") == method and e.get("sessionId") == session:
                return self.events.pop(i)
        while True:
            e = self._read(deadline)
            if e.get("method") == method and e.get("sessionId") == session:
                return e
            self.events.append(e)

    # ------------------------------------------------------------------ pages
    def page(self, url: str, width: int, height: int, mobile: bool = False) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Page.enable", session=session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
            session=session,
        )
        self.send("Page.navigate", {"url": url}, session=session)
        self.wait_event("Page.loadEventFired", session)
        return Page(self, session, width, height)

    def close(self) -> None:
        with contextlib.suppress(CDPError, OSError):
            self.send("Browser.close", timeout=10)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._r, self._w):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Page:
    def __init__(self, browser: Chromium, session: str, width: int, height: int):
        self.browser, self.session, self.width, self.height = browser, session, width, height

    def eval(self, expression: str):
        r = self.browser.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=self.session,
        )
        if "exceptionDetails" in r:
            raise CDPError(f"{expression[:80]}…: {r['exceptionDetails']}")
        return r["result"].get("value")

    def screenshot(self, path: Path, full_page: bool = False, max_height: int = 16000) -> Path:
        params: dict = {"format": "png"}
        if full_page:
            h = min(int(self.eval("document.documentElement.scrollHeight")), max_height)
            params |= {"captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": self.width,
                                                               "height": h, "scale": 1}}  # fmt: skip
        data = self.browser.send("Page.captureScreenshot", params, session=self.session, timeout=120)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path


def _fds_to_3_4(read_end: int, write_end: int):
    """preexec_fn: put the command pipe on fd 3 and the reply pipe on fd 4 in the child."""

    def move() -> None:
        r, w = os.dup(read_end), os.dup(write_end)  # free 3 and 4 whatever they were
        os.dup2(r, 3)
        os.dup2(w, 4)
        os.close(r)
        os.close(w)

    return move
