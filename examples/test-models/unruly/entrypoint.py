"""A test model that misbehaves on request: the first value of the first row is a command."""
import ctypes
import gc
import importlib
import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np

COLLECTING_AT_IMPORT = gc.isenabled()
CALLS = 0


def init():
    global COLLECTING_IN_INIT
    COLLECTING_IN_INIT = gc.isenabled()
    poison = os.environ.get('ODAHU_TEST_POISON')
    if poison and os.path.exists(poison):
        raise RuntimeError('unruly was poisoned')
    print('unruly: init on stdout')
    return 'matrix'


def c_fork(seconds, pid_path):
    """Forks with libc's fork, which runs none of Python's at-fork hooks: the child keeps every
    descriptor, sleeps for seconds and exits. Its pid goes to pid_path."""
    libc = ctypes.CDLL(None)
    pid = libc.fork()
    if pid == 0:
        libc.sleep(int(seconds))
        libc._exit(0)
    with open(pid_path, 'w') as pid_file:
        pid_file.write(str(pid))


def spawn(seconds, pid_path):
    """Starts a helper process (sleep) that the model leaves running. Its pid goes to pid_path."""
    child = subprocess.Popen(['sleep', str(int(seconds))], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(pid_path, 'w') as pid_file:
        pid_file.write(str(child.pid))


def predict_on_matrix(input_matrix, provided_columns_names=None):
    global CALLS
    CALLS += 1
    command = input_matrix[0][0] if input_matrix and input_matrix[0] else None
    if command == 'calls':
        # How many calls this worker's model has had, this one included.
        return np.array([CALLS]), ('calls',)
    if command == 'exit':
        os._exit(3)
    if command == 'kill':
        os.kill(os.getpid(), signal.SIGKILL)
    if command == 'segv':
        ctypes.string_at(0)
    if command == 'sleep':
        time.sleep(float(input_matrix[0][1]))
    if command == 'print':
        print('unruly: a line on stdout')
        sys.stdout.flush()
        os.write(1, b'\x00\x00\x00\x05\x42raw bytes on fd 1\n')
        print('unruly: a line on stderr', file=sys.stderr)
    if command == 'flood':
        sys.stdout.write('x' * int(input_matrix[0][1]))
        sys.stdout.flush()
        sys.stderr.write('y' * int(input_matrix[0][1]))
        print('unruly: flood done', file=sys.stderr)
    if command == 'raise':
        raise ValueError('unruly refuses %r' % (input_matrix[0][1],))
    if command == 'raisebig':
        raise ValueError('unruly refuses ' + 'x' * int(input_matrix[0][1]) + ' the end')
    if command == 'raisestr':
        raise ValueError('unruly refuses ' + str(input_matrix[0][1]))
    if command == 'poison':
        time.sleep(float(input_matrix[0][1]))
        open(os.environ['ODAHU_TEST_POISON'], 'w').close()
        os._exit(3)
    if command == 'forkexit':
        if os.fork() == 0:
            time.sleep(float(input_matrix[0][1]))
            os._exit(0)
        os._exit(3)
    if command == 'cforksleep':
        c_fork(input_matrix[0][1], input_matrix[0][2])
        time.sleep(float(input_matrix[0][1]))
    if command == 'cforkexit':
        # The child holds the worker's pipes while the worker dies.
        c_fork(input_matrix[0][1], input_matrix[0][2])
        os._exit(3)
    if command == 'spawnexit':
        # A helper left running, then the worker dies (a crash, the OOM killer).
        spawn(input_matrix[0][1], input_matrix[0][2])
        os._exit(3)
    if command == 'spawn':
        spawn(input_matrix[0][1], input_matrix[0][2])
    if command == 'gil':
        # A background thread that holds the GIL in C for row[1] seconds, as a model's periodic
        # reload may: PyDLL does not release it during the call.
        def hold():
            time.sleep(0.2)
            ctypes.PyDLL(None).sleep(int(input_matrix[0][1]))
        threading.Thread(target=hold, daemon=True).start()
    if command == 'sysexit':
        sys.exit(int(input_matrix[0][1]))
    if command == 'thread':
        # A non-daemon thread, which a normal interpreter exit waits for.
        threading.Thread(target=time.sleep, args=(float(input_matrix[0][1]),)).start()
    if command == 'nan':
        return np.array([np.nan, np.inf, -np.inf, 1.5]), ('v',)
    if command == 'strings':
        return np.array([['a', 'b'], ['c', 'd']]), ('x', 'y')
    if command == 'tuple':
        return ((1, 2), (3, 4)), ('x', 'y')
    if command == 'list':
        return [[1.0]], ['v']
    if command == 'int32':
        return np.array([[1], [2]], dtype=np.int32), ('v',)
    if command == 'float32':
        return np.array([0.1, 1e-5, 3.4028235e38], dtype=np.float32), ('v',)
    if command == 'bool':
        return np.array([True, False]), ('v',)
    if command == 'module':
        # Where the module row[1] is imported from, if it can be.
        return np.array([importlib.import_module(input_matrix[0][1]).__file__]), ('file',)
    if command == 'gc':
        return np.array([COLLECTING_AT_IMPORT, COLLECTING_IN_INIT, gc.isenabled()]), ('import', 'init', 'predict')
    if command == 'scalar':
        return np.float64(2.5), ('v',)
    if command == 'floatindex':
        # One row per input row, in order, indexed by the float row[1]: slicing by label would mix
        # requests up.
        import pandas as pd
        keys = [float(row[1]) for row in input_matrix]
        return pd.DataFrame({'doubled': [key * 2 for key in keys]}, index=keys), ('doubled',)
    if command == 'solo':
        # One request at a time: a merged call raises, each request alone succeeds.
        if len(input_matrix) > 1:
            raise ValueError('one row at a time')
        return np.array([[float(input_matrix[0][1])]]), ('v',)
    if command == 'string':
        return 'ok', ('status',)
    if command == 'columns':
        # Column-major: one row per output column, whatever the input's rows.
        x = np.array([float(row[1]) for row in input_matrix])
        return np.vstack([x * 10, x * 100]), ('tens', 'hundreds')
    if command == 'frame':
        import pandas as pd
        return pd.DataFrame([row[1:] for row in input_matrix]), ('v',)
    if command == 'big':
        return np.array(['x' * int(input_matrix[0][1])]), ('v',)
    rows = np.empty((len(input_matrix), len(input_matrix[0])), dtype=object)
    for index, row in enumerate(input_matrix):
        rows[index, :] = row
    return rows, tuple(provided_columns_names or ['c%d' % i for i in range(rows.shape[1])])


def info():
    return [{'name': 'command', 'type': 'string', 'example': np.str_('echo')}], \
           [{'name': 'v', 'type': 'number', 'example': np.float64(1.5), 'required': True}]
