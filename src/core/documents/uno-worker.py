"""A warm LibreOffice for DOCX -> PDF (used by pdf.ts).

A cold `soffice --convert-to` starts a whole office for every document: several seconds of CPU each time. This
worker starts one headless LibreOffice (its own profile, a private pipe), keeps it, and converts on request through
UNO (Debian's python3-uno): one JSON line in on stdin, {"in": docx path, "out": pdf path}, one JSON line out,
{"ok": true} or {"ok": false, "error": "..."}. It prints {"ready": true} once LibreOffice answers. When stdin closes
(the Node process stopped, even by kill -9) it ends LibreOffice and exits, so no office outlives the portal.

Usage: /usr/bin/python3 uno-worker.py SOFFICE PROFILE_DIR PIPE_NAME
"""

import json
import os
import signal
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def say(message):
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def start_office(soffice, profile_dir, pipe_name):
    return subprocess.Popen(
        [
            soffice,
            "-env:UserInstallation=" + uno.systemPathToFileUrl(profile_dir),
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe_name,
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ, HOME=profile_dir),
        start_new_session=True,
    )


def connect(office, pipe_name, timeout_s=120):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + timeout_s
    while True:
        if office.poll() is not None:
            raise RuntimeError("LibreOffice exited while starting (code %s)" % office.returncode)
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe_name)
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:
            if time.time() > deadline:
                raise RuntimeError("LibreOffice did not answer within %d s" % timeout_s)
            time.sleep(0.25)


def convert(desktop, source, target):
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True), prop("ReadOnly", True))
    )
    if document is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        document.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "writer_pdf_Export"),))
    finally:
        document.close(True)


def stop(office, desktop):
    try:
        if desktop is not None:
            desktop.terminate()
    except Exception:
        pass
    try:
        office.wait(timeout=5)
    except Exception:
        pass
    # The launcher and the office it started share the session begun for them: end whatever of it is left.
    try:
        os.killpg(office.pid, signal.SIGKILL)
    except Exception:
        pass


def main():
    soffice, profile_dir, pipe_name = sys.argv[1], sys.argv[2], sys.argv[3]
    # Stopped by a signal (a service manager, pkill), still end the office: the `finally` below runs on SystemExit.
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, lambda *_: sys.exit(0))
    office = start_office(soffice, profile_dir, pipe_name)
    desktop = None
    try:
        desktop = connect(office, pipe_name)
        say({"ready": True, "officePid": office.pid})
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            try:
                job = json.loads(line)
                convert(desktop, job["in"], job["out"])
                say({"ok": True})
            except Exception as e:  # one bad document never ends the worker; a dead office does
                say({"ok": False, "error": str(e)})
                if office.poll() is not None:
                    return 1
    except Exception as e:
        say({"ready": False, "error": str(e)})
        return 1
    finally:
        stop(office, desktop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
