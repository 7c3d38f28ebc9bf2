#!/usr/bin/env python3
"""A local OpenSearch cluster on 127.0.0.1 for searchhub: start it, stop it.

    python3 scripts/opensearch_cluster.py up [--nodes 3] [--port 9201]
    python3 scripts/opensearch_cluster.py down
    python3 scripts/opensearch_cluster.py status

``up`` starts ``--nodes`` separate node processes from the distribution that
``opensearch/pom.xml`` unpacks (it runs Maven when the distribution is missing;
``OPENSEARCH_HOME`` names another unpacked one). Node ``i`` answers HTTP on
``port + i`` (``OPENSEARCH_PORT``, default 9201) and talks to the others on
``port + 100 + i``. Each node has its own config, data and log folders under the
cluster folder (``.cache/opensearch/cluster``). It waits until the cluster is
green (yellow is enough for a single node), then prints its URL on the last line
of standard output; run again while some nodes died, it starts those again (they
rejoin with their data) and waits for green. ``down`` sends SIGTERM to each node
and SIGKILL to any still running after a grace period. Standard library only, so
that it runs before any venv exists; it needs Java 11+ (``JAVA_HOME`` or ``java`` on
the PATH) and, for the first start, Maven.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pwd
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VERSION = "2.19.6"
CACHE = REPO / ".cache" / "opensearch"
POM = REPO / "opensearch" / "pom.xml"
STATE_FILE = "cluster.json"
#: What a node's command line holds: the start script, then (it execs Java) the main
#: class; a pid whose command line holds neither is not ours any more.
MARKERS = (b"bin/opensearch", b"org.opensearch.bootstrap.OpenSearch")


class ClusterError(Exception):
    """A problem a person can act on; printed without a traceback."""


def distribution(home: str | None = None, *, fetch: bool = True) -> Path:
    """The unpacked distribution: ``home`` or OPENSEARCH_HOME, else the cache, which
    Maven fills when it is incomplete."""
    home = home or os.environ.get("OPENSEARCH_HOME")
    if home:
        path = Path(home)
        if not (path / "bin" / "opensearch").is_file():
            raise ClusterError(f"OPENSEARCH_HOME={home} holds no bin/opensearch.")
        return path
    path = CACHE / f"opensearch-{VERSION}"
    if not (path / "modules" / "analysis-common" / "plugin-descriptor.properties").is_file():
        if not fetch:
            raise ClusterError(f"OpenSearch is not unpacked in {path}.")
        mvn = shutil.which("mvn")
        if mvn is None:
            raise ClusterError("Maven (mvn) is needed to fetch OpenSearch; or set "
                               "OPENSEARCH_HOME to an unpacked OpenSearch distribution.")
        print(f"Fetching OpenSearch {VERSION} with Maven into {CACHE} ...", file=sys.stderr)
        # Maven's output goes to standard error: standard output carries only the URL.
        subprocess.run([mvn, "-q", "-B", "-Dstyle.color=never", "-f", str(POM),
                        f"-Dopensearch.cache={CACHE}", "process-resources"],
                       check=True, stdout=sys.stderr)
    return path


def java_home() -> str:
    """The JDK the nodes run on (the integ-test distribution bundles none)."""
    for variable in ("OPENSEARCH_JAVA_HOME", "JAVA_HOME"):
        if os.environ.get(variable):
            return os.environ[variable]
    java = shutil.which("java")
    if java is None:
        raise ClusterError("Java 11 or newer is needed: install it or set JAVA_HOME.")
    return str(Path(java).resolve().parents[1])


def _run_as(cluster_dir: Path) -> list[str]:
    """OpenSearch refuses to run as root: as root (CI containers), the nodes run as
    OPENSEARCH_USER (default nobody), which then owns the cluster folder. Returns the
    command prefix that switches to that user (none when not root)."""
    if os.geteuid() != 0:
        return []
    name = os.environ.get("OPENSEARCH_USER", "nobody")
    try:
        user = pwd.getpwnam(name)
    except KeyError:
        raise ClusterError(f"OpenSearch cannot run as root and there is no user {name!r}; "
                           "set OPENSEARCH_USER to an unprivileged user.") from None
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        raise ClusterError("OpenSearch cannot run as root and setpriv (util-linux) is "
                           "missing; run as an unprivileged user.")
    for path in (cluster_dir, *cluster_dir.rglob("*")):
        os.chown(path, user.pw_uid, user.pw_gid, follow_symlinks=False)
    return [setpriv, f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups",
            "--"]


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_base(nodes: int, first: int | None = None) -> int:
    """A first HTTP port with ``nodes`` free ports from it and ``nodes`` more 100 above
    (their transport ports): what ``--port 0`` asks for. The search starts at a random
    place in 29201-34191, so that clusters started at the same moment (parallel test
    runs) seldom try the same ports."""
    if first is None:
        first = 29_201 + 10 * random.randrange(500)
    for base in range(first, first + 10_000, 10):
        if all(_port_free(p) for p in [*range(base, base + nodes),
                                       *range(base + 100, base + 100 + nodes)]):
            return base
    raise ClusterError("No free ports on 127.0.0.1 for the OpenSearch nodes.")


def cluster_name(cluster_dir: Path) -> str:
    """The cluster's name: searchhub-local for the default folder, else one of that
    folder's own, so that nodes of clusters started side by side (test runs of other
    checkouts) never join each other's cluster through a port one took from another."""
    if cluster_dir == (CACHE / "cluster").resolve():
        return "searchhub-local"
    return "searchhub-" + hashlib.sha1(str(cluster_dir).encode()).hexdigest()[:10]


def _node_config(home: Path, node: Path, settings: dict, heap: str, quick: bool) -> Path:
    """The node's own config folder: the distribution's, with our opensearch.yml and heap."""
    config = node / "config"
    if config.exists():
        shutil.rmtree(config)
    shutil.copytree(home / "config", config)
    lines = [f"{key}: {json.dumps(value)}" for key, value in settings.items()]
    (config / "opensearch.yml").write_text("\n".join(lines) + "\n")
    options = config / "jvm.options"
    # The start script runs from the distribution's folder: GC log, error file and heap
    # dumps would go to its logs/ and data/, shared by every node. Each node's own instead.
    text = (options.read_text().replace("file=logs/", f"file={node}/logs/")
            .replace("ErrorFile=logs/", f"ErrorFile={node}/logs/")
            .replace("HeapDumpPath=data", f"HeapDumpPath={node}/logs"))
    kept = [line for line in text.splitlines() if not line.startswith(("-Xms", "-Xmx"))]
    # Quick: the C1 compiler only, which starts a node in about half the CPU time and
    # runs it slower; for short test sessions.
    extra = ["-XX:TieredStopAtLevel=1"] if quick else []
    options.write_text("\n".join([f"-Xms{heap}", f"-Xmx{heap}", *extra, *kept]) + "\n")
    return config


def _get(url: str, timeout: float = 5.0) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:   # noqa: S310 - 127.0.0.1
        return json.load(response)


def _alive(pid: int) -> bool:
    """Whether ``pid`` is still one of our OpenSearch nodes (not a reused pid)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True          # no /proc: trust the pid
    return any(marker in cmdline for marker in MARKERS)


def _load_state(cluster_dir: Path) -> dict | None:
    try:
        return json.loads((cluster_dir / STATE_FILE).read_text())
    except (OSError, ValueError):
        return None


def up(*, nodes: int, port: int, transport_port: int | None, heap: str, processors: int,
       cluster_dir: Path, home: str | None, timeout: float, quick: bool = False) -> str:
    """Start the cluster (or find it running) and return its URL."""
    state = _load_state(cluster_dir)
    if state and all(_alive(n["pid"]) for n in state["nodes"]):
        return state["url"]
    dist = distribution(home)
    env = {**os.environ, "OPENSEARCH_JAVA_HOME": java_home()}
    env.pop("OPENSEARCH_JAVA_OPTS", None)
    if state and len(state["nodes"]) == nodes and any(_alive(n["pid"]) for n in state["nodes"]):
        # Some nodes died: start those again, on their own config and data, to rejoin.
        prefix = _run_as(cluster_dir)
        processes = []
        for node in state["nodes"]:
            if _alive(node["pid"]):
                processes.append(None)
                continue
            process = _start_node(dist, Path(node["dir"]), prefix, env)
            node["pid"] = process.pid
            processes.append(process)
        (cluster_dir / STATE_FILE).write_text(json.dumps(state, indent=1))
        return _wait_healthy(cluster_dir, state, processes, timeout)
    if state:
        down(cluster_dir)            # every node died: start all again
    if port:
        return _start(dist, env, nodes=nodes, port=port, transport_port=transport_port,
                      heap=heap, processors=processors, cluster_dir=cluster_dir,
                      timeout=timeout, quick=quick)
    # Free ports: another process may take one between the check and the node's bind;
    # then again on other ports.
    for attempt in range(3):
        try:
            return _start(dist, env, nodes=nodes, port=free_base(nodes), transport_port=None,
                          heap=heap, processors=processors, cluster_dir=cluster_dir,
                          timeout=timeout, quick=quick)
        except PortTaken as exc:
            if attempt == 2:
                raise ClusterError(str(exc)) from None
            print(f"{exc}: trying other ports.", file=sys.stderr)
    raise AssertionError("unreachable")


class PortTaken(ClusterError):
    """A node could not bind its port: taken since it was found free."""


def _start(dist: Path, env: dict, *, nodes: int, port: int, transport_port: int | None,
           heap: str, processors: int, cluster_dir: Path, timeout: float,
           quick: bool) -> str:
    """Start ``nodes`` new nodes from HTTP port ``port`` on; the URL once healthy."""
    transport_port = transport_port or port + 100
    http_ports = [port + i for i in range(nodes)]
    transport_ports = [transport_port + i for i in range(nodes)]
    busy = [p for p in http_ports + transport_ports if not _port_free(p)]
    if busy:
        raise ClusterError(f"Ports in use on 127.0.0.1: {busy}; choose others with --port "
                           "or OPENSEARCH_PORT.")
    names = [f"node-{i + 1}" for i in range(nodes)]
    layout = {"nodes": nodes, "version": VERSION}
    if cluster_name(cluster_dir) != "searchhub-local":
        layout["name"] = cluster_name(cluster_dir)
    layout_file = cluster_dir / "layout.json"
    if layout_file.exists() and json.loads(layout_file.read_text()) != layout:
        # Data of a cluster with other nodes would not join this one: it is derived
        # data (searchhub can rebuild its index), so start afresh.
        print(f"The cluster in {cluster_dir} had another layout: its data is removed.",
              file=sys.stderr)
        shutil.rmtree(cluster_dir)
    cluster_dir.mkdir(parents=True, exist_ok=True)
    layout_file.write_text(json.dumps(layout))

    configs = []
    for i, name in enumerate(names):
        node = cluster_dir / name
        (node / "logs").mkdir(parents=True, exist_ok=True)
        settings = {
            "cluster.name": cluster_name(cluster_dir),
            "node.name": name,
            "path.data": str(node / "data"),
            "path.logs": str(node / "logs"),
            "network.host": "127.0.0.1",
            "http.port": http_ports[i],
            "transport.port": transport_ports[i],
            "node.processors": processors,
            # A local cluster on a full disk should still allocate its shards.
            "cluster.routing.allocation.disk.threshold_enabled": False,
        }
        if nodes == 1:
            settings["discovery.type"] = "single-node"
        else:
            settings["discovery.seed_hosts"] = [f"127.0.0.1:{p}" for p in transport_ports]
            settings["cluster.initial_cluster_manager_nodes"] = names
        configs.append(_node_config(dist, node, settings, heap, quick))
    prefix = _run_as(cluster_dir)
    started, processes = [], []
    for i, (name, config) in enumerate(zip(names, configs, strict=True)):
        process = _start_node(dist, config.parent, prefix, env)
        processes.append(process)
        started.append({"name": name, "pid": process.pid, "http_port": http_ports[i],
                        "transport_port": transport_ports[i], "dir": str(config.parent)})
    url = ",".join(f"http://127.0.0.1:{p}" for p in http_ports)
    state = {"url": url, "nodes": started}
    (cluster_dir / STATE_FILE).write_text(json.dumps(state, indent=1))
    return _wait_healthy(cluster_dir, state, processes, timeout)


def _start_node(dist: Path, node: Path, prefix: list[str], env: dict) -> subprocess.Popen:
    """Start the node whose folder is ``node`` (config, data and logs in it)."""
    log = open(node / "logs" / "stdout.log", "ab")   # noqa: SIM115 - the node keeps it
    process = subprocess.Popen(
        [*prefix, str(dist / "bin" / "opensearch")], cwd=node, stdin=subprocess.DEVNULL,
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**env, "OPENSEARCH_PATH_CONF": str(node / "config")})
    process.log_offset = log.tell()           # where this start's output begins
    log.close()
    return process


def _wait_healthy(cluster_dir: Path, state: dict, processes: list, timeout: float) -> str:
    """Wait until every node is in and the cluster is green (yellow for one node);
    the URL. ``processes`` are those just started (None for nodes already running)."""
    started = state["nodes"]
    nodes = len(started)
    status = "yellow" if nodes == 1 else "green"
    health = (f"http://127.0.0.1:{started[0]['http_port']}/_cluster/health"
              f"?wait_for_status={status}&wait_for_nodes={nodes}&timeout=2s")
    deadline = time.monotonic() + timeout
    while True:
        for node, process in zip(started, processes, strict=True):
            if process is not None and process.poll() is not None:
                with open(Path(node["dir"]) / "logs" / "stdout.log", "rb") as log:
                    log.seek(process.log_offset)      # this start's part of the log
                    tail = log.read().decode(errors="replace")[-3000:]
                down(cluster_dir)
                if "BindException" in tail or "Address already in use" in tail:
                    raise PortTaken(f"{node['name']} found a port taken")
                raise ClusterError(f"{node['name']} stopped while starting:\n{tail}")
        try:
            answer = _get(health)
            if not answer.get("timed_out"):
                return state["url"]
        except (OSError, urllib.error.URLError, ValueError):
            time.sleep(1.0)
        if time.monotonic() > deadline:
            down(cluster_dir)
            raise ClusterError(f"The cluster was not {status} within {timeout:.0f} s; "
                               f"the logs are in {cluster_dir}/node-*/logs.")


def down(cluster_dir: Path, grace: float = 30.0) -> int:
    """Stop every node of the cluster: SIGTERM, then SIGKILL after ``grace`` seconds.
    Returns how many nodes were running."""
    state = _load_state(cluster_dir)
    if not state:
        return 0
    running = [n["pid"] for n in state["nodes"] if _alive(n["pid"])]
    for pid in running:
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while any(_alive(pid) for pid in running) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in running:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    (cluster_dir / STATE_FILE).unlink(missing_ok=True)
    return len(running)


def status(cluster_dir: Path) -> str:
    state = _load_state(cluster_dir)
    if not state:
        return "not running"
    alive = [n["name"] for n in state["nodes"] if _alive(n["pid"])]
    try:
        health = _get(state["url"].split(",")[0] + "/_cluster/health")["status"]
    except (OSError, urllib.error.URLError, ValueError, KeyError):
        health = "not answering"
    return f"{state['url']}: {len(alive)}/{len(state['nodes'])} nodes running, {health}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("up", "down", "status", "fetch"))
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--port", type=int, default=int(os.environ.get("OPENSEARCH_PORT", 9201)),
                        help="HTTP port of the first node (OPENSEARCH_PORT; default 9201; "
                             "0: free ports chosen here)")
    parser.add_argument("--transport-port", type=int, default=None,
                        help="transport port of the first node (default: HTTP port + 100)")
    parser.add_argument("--heap", default="384m", help="JVM heap of each node")
    parser.add_argument("--processors", type=int, default=1,
                        help="processors each node sizes its thread pools for")
    parser.add_argument("--cluster-dir", type=Path, default=CACHE / "cluster")
    parser.add_argument("--home", default=None,
                        help="an unpacked OpenSearch distribution (OPENSEARCH_HOME)")
    parser.add_argument("--quick", action="store_true",
                        help="start faster, run slower (JIT C1 only): for test sessions")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds to wait for the cluster to be healthy")
    args = parser.parse_args(argv)
    try:
        if args.command == "up":
            print(up(nodes=args.nodes, port=args.port, transport_port=args.transport_port,
                     heap=args.heap, processors=args.processors,
                     cluster_dir=args.cluster_dir.resolve(), home=args.home,
                     timeout=args.timeout, quick=args.quick))
        elif args.command == "down":
            print(f"stopped {down(args.cluster_dir.resolve())} node(s)")
        elif args.command == "fetch":
            print(distribution(args.home))
        else:
            print(status(args.cluster_dir.resolve()))
    except (ClusterError, subprocess.CalledProcessError) as exc:
        print(f"opensearch_cluster: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
