"""What a server's process tree costs: resident memory (RSS and PSS) and CPU time, read from /proc.

PSS (proportional set size) splits pages shared between processes (a forked worker's copy-on-write
pages, shared libraries) among them, so it is the fairer sum for a master with forked workers; RSS
counts shared pages once per process.
"""
import os

TICKS = os.sysconf('SC_CLK_TCK')


def tree(pid):
    """The process and all its live descendants, parents first."""
    pids, pending = [], [pid]
    while pending:
        current = pending.pop(0)
        pids.append(current)
        try:  # a child is listed under the thread that started it (the JVM starts workers from many)
            tasks = os.listdir('/proc/%d/task' % current)
        except OSError:
            continue
        for task in tasks:
            try:
                with open('/proc/%d/task/%s/children' % (current, task)) as children:
                    pending.extend(int(child) for child in children.read().split())
            except OSError:
                pass
    return pids


def _field_kib(path, name):
    try:
        with open(path) as status:
            for line in status:
                if line.startswith(name):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory(pid):
    """{'rss_mib', 'pss_mib', 'main_rss_mib', 'children_rss_mib', 'processes'} of the tree."""
    pids = tree(pid)
    rss = [_field_kib('/proc/%d/status' % p, 'VmRSS:') for p in pids]
    pss = [_field_kib('/proc/%d/smaps_rollup' % p, 'Pss:') for p in pids]
    return {'rss_mib': round(sum(rss) / 1024, 1), 'pss_mib': round(sum(pss) / 1024, 1),
            'main_rss_mib': round(rss[0] / 1024, 1), 'children_rss_mib': round(sum(rss[1:]) / 1024, 1),
            'processes': len(pids)}


def cpu_seconds(pid, main_only=False):
    """User + system CPU time used so far by the live processes of the tree (or its root alone)."""
    total = 0
    for p in [pid] if main_only else tree(pid):
        try:
            with open('/proc/%d/stat' % p) as stat:
                fields = stat.read().rsplit(')', 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        except (OSError, IndexError, ValueError):
            pass
    return total / TICKS


def compiler_seconds(pid):
    """CPU time so far of the process's JIT compiler threads (a JVM's C1 and C2 CompilerThreads; 0 for
    CPython, which has none)."""
    total = 0
    try:
        tasks = os.listdir('/proc/%d/task' % pid)
    except OSError:
        return 0
    for task in tasks:
        try:
            with open('/proc/%d/task/%s/stat' % (pid, task)) as stat:
                line = stat.read()
        except OSError:
            continue
        name, fields = line[line.index('(') + 1:line.rindex(')')], line.rsplit(')', 1)[1].split()
        if 'CompilerThre' in name:
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


def load_average():
    with open('/proc/loadavg') as loadavg:
        return [float(value) for value in loadavg.read().split()[:3]]
