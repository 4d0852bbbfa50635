"""Where the conformance gate's outside tools live: the Nu Html Checker (the `vnu-jar` npm package,
installed by .ci/run into a cache folder) and a Java runtime to run it."""

import json
import os
import shutil
import subprocess
from pathlib import Path

DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsroom"
JAR_IN_PACKAGE = Path("node_modules/vnu-jar/build/dist/vnu.jar")


def vnu_jar():
    """The checker's jar: $VNU_JAR, else where .ci/run installs it."""
    return Path(os.environ.get("VNU_JAR") or DEFAULT_CACHE / "vnu" / JAR_IN_PACKAGE)


def missing_tools():
    """Why the gate cannot run here, or None when it can."""
    if shutil.which("java") is None:
        return "needs Java to run the Nu Html Checker (apt-get install default-jre-headless)"
    if not vnu_jar().is_file():
        return (
            f"needs the Nu Html Checker at {vnu_jar()} (bash .ci/run installs it; or "
            "npm install --prefix ~/.cache/newsroom/vnu vnu-jar and set VNU_JAR)"
        )
    return None


def nu_check(paths):
    """Every message the Nu Html Checker has about `paths`, checked in one JVM, as {path: [message]}."""
    result = subprocess.run(
        ["java", "-Xss1024k", "-jar", str(vnu_jar()), "--format", "json", "--stdout", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    found = {Path(path): [] for path in paths}
    for message in report["messages"]:
        path = Path(message.get("url", "").removeprefix("file:"))
        found.setdefault(path, []).append(message)
    return found


def describe(message):
    where = f"line {message['lastLine']}" if "lastLine" in message else "document"
    kind = message.get("subType") or message["type"]
    return f"{kind} at {where}: {message['message']} [{message.get('extract', '').strip()}]"
