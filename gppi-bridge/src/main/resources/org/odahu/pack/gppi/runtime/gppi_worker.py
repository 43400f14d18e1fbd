"""odahu-pack GPPI worker: runs one ODAHU GPPI model and answers calls from the Java side.

Two ways in:
  * a CPython subprocess (`python -u gppi_worker.py --module M --path DIR --protocol 2 --max-frame N
    [--input-matrix ndarray]`): frames travel on the original stdin/stdout, while anything the model
    prints goes to stderr;
  * in-process (GraalPy): the Java side loads this file and calls Gppi's methods directly.

A frame is a 4-byte big-endian payload length, a 1-byte type and the payload. A PREDICT payload is
JSON, or for a matrix of numbers packed: a NUL byte, the 4-byte length of a JSON header (style,
columns, splits, shape, lists), then shape[0] x shape[1] little-endian float64 values, 8-byte aligned
in the payload. With --input-matrix ndarray the model gets them as a 2-D numpy.ndarray; without, the
Java side packs only numbers the client wrote as floats ("lists": true), and the model gets the lists
of floats json.loads would have given.

A prediction that is a numpy array of numbers, one or two dimensions, comes back as a PACKED_RESULT
(see pack_numbers): the Java side writes its JSON, exactly as json.dumps would have, and faster (the
encoding took as long as a small model's own call).
"""
import array
import datetime
import decimal
import fcntl
import functools
import gc
import importlib
import importlib.machinery
import importlib.util
import json
import os
import signal
import struct
import sys
import threading
import time
import traceback

PROTOCOL_VERSION = 3

# Java -> Python
PREDICT = 1
INFO = 2
SELF_CHECK = 3
PING = 4
SHUTDOWN = 9
# Python -> Java
HELLO = 64
INIT_ERROR = 65
RESULT = 66
MODEL_ERROR = 67
INFO_RESULT = 68
SELF_CHECK_RESULT = 69
ROW_MISMATCH = 70
PROTOCOL_ERROR = 71
PONG = 72
PACKED_RESULT = 73

# The package ODAHU's REST server imports the model from (odahuflow_model.entrypoint); see load().
MODEL_PACKAGE = 'odahuflow_model'

# Characters of an error's message, and of its traceback, that go to the Java side: it answers the
# message to the client and logs both, once per request (a 200 MB message took 8 s to fail on the
# frame limit, and 10 MB ones filled the log).
MAX_ERROR_TEXT = 64 * 1024

HEADER = struct.Struct('>IB')
PIPE_BYTES = 1 << 20  # Linux's default /proc/sys/fs/pipe-max-size
PARENT_CHECK_SECONDS = 1.0
U32 = struct.Struct('>I')


class ModelError(Exception):
    """The model's own code raised; carries what the Java side reports."""

    def __init__(self, error, **extra):
        super().__init__(str(error))
        self.payload = error_payload(error, **extra)


class RowMismatch(Exception):
    """A merged batch's answer cannot be split back by request: another number of rows than went in,
    or no rows to split (a string, a dict: what is its type's name then)."""

    def __init__(self, rows, what=''):
        super().__init__('prediction has %d rows' % rows)
        self.rows = rows
        self.what = what


class StartupError(Exception):
    """Importing the entrypoint module or its init() failed."""

    def __init__(self, stage, error, own_module=None):
        super().__init__(str(error))
        self.stage = stage
        self.error = error
        self.own_module = own_module  # the missing module, when it is one of the model's own


def error_payload(error, **extra):
    details = {
        'type': type(error).__name__,
        'message': str(error),
        'traceback': ''.join(traceback.format_exception(type(error), error, error.__traceback__)),
    }
    details.update(extra)
    details['message'] = bounded(details['message'])
    details['traceback'] = bounded(details['traceback'], keep_end=True)
    return encode_json(details, compact=True)


def bounded(text, keep_end=False):
    """text cut to MAX_ERROR_TEXT characters, saying how many were cut: its start, or with keep_end its
    start and its end (a traceback's last line names the exception)."""
    if not isinstance(text, str) or len(text) <= MAX_ERROR_TEXT:
        return text
    cut = len(text) - MAX_ERROR_TEXT
    if not keep_end:
        return '%s [... %d characters cut]' % (text[:MAX_ERROR_TEXT], cut)
    half = MAX_ERROR_TEXT // 2
    return '%s\n[... %d characters cut ...]\n%s' % (text[:half], cut, text[-half:])


def _default(value):
    if hasattr(value, 'tolist'):  # numpy arrays and scalars
        return value.tolist()
    if hasattr(value, 'to_numpy'):  # pandas objects
        return value.to_numpy().tolist()
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (set, frozenset)):
        return list(value)
    if isinstance(value, bytes):
        return value.decode('utf-8', 'replace')
    raise TypeError('Object of type %s is not JSON serializable' % type(value).__name__)


def _described_default(value):
    """_default, and str() for what it refuses: for what only describes the model (info()'s fields)."""
    try:
        return _default(value)
    except TypeError:
        return str(value)


def _finite(value):
    """Replaces NaN and +-Infinity with None, as ODAHU's orjson does."""
    if isinstance(value, float):
        return value if value - value == 0 else None
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if hasattr(value, 'tolist') or hasattr(value, 'to_numpy'):
        return _finite(_default(value))
    return value


def with_fallback(encoder):
    """The model's JSON encoder class, with _default for what its own default() refuses (numpy types)."""

    class FallbackEncoder(encoder):
        def default(self, o):
            try:
                return super().default(o)
            except TypeError:
                return _default(o)

    return FallbackEncoder


def encode_json(value, compact=True, cls=None, describing=False):
    """cls, if given, is a with_fallback() encoder: passing default= as well would override its default().
    describing writes what JSON has no form for as its str() (a numpy dtype in info()) instead of failing."""
    # Compact is the REST answer, orjson's (UTF-8 as it is); otherwise ODAHU's CLI's json.dump (ensure_ascii).
    options = {'allow_nan': False, 'separators': (',', ':') if compact else (', ', ': '), 'ensure_ascii': not compact}
    if cls is None:
        options['default'] = _described_default if describing else _default
    else:
        options['cls'] = cls
    if hasattr(value, 'tolist') or hasattr(value, 'to_numpy'):
        value = _default(value)
    try:
        text = json.dumps(value, **options)
    except ValueError:
        text = json.dumps(_finite(value), **options)
    # A lone surrogate (a client's "\ud800", or a model's message quoting it) has no UTF-8 form; it can
    # only be inside a JSON string, where backslashreplace writes it as the same JSON escape.
    return text.encode('utf-8', 'backslashreplace')


def pack_numbers(prediction, splits):
    """A numpy array of numbers with one or two dimensions as its values, or None for anything else.

    The values are little-endian float32 (type byte 'g'), float64 ('f': the other floats up to 8
    bytes, which tolist() turns into the same Python floats) or int64 ('i': signed integers,
    unsigned up to 4 bytes), after the dimensions (1 byte), the row width (u32; 1 for one dimension), the part count
    (u32) and each part's rows (u32).
    """
    numpy = sys.modules.get('numpy')
    if numpy is None or type(prediction) is not numpy.ndarray or prediction.ndim not in (1, 2):
        return None
    kind, size = prediction.dtype.kind, prediction.dtype.itemsize
    if kind == 'f' and size == 4:
        code, dtype = b'g', '<f4'  # float32 as it is: its own shortest digits, as orjson wrote them
    elif kind == 'f' and size <= 8:
        code, dtype = b'f', '<f8'
    elif kind == 'i' or (kind == 'u' and size <= 4):
        code, dtype = b'i', '<i8'
    else:
        return None
    sizes = [len(prediction)] if splits == [None] else splits
    width = prediction.shape[1] if prediction.ndim == 2 else 1
    values = numpy.ascontiguousarray(prediction, dtype=dtype)
    return b''.join([code, bytes([prediction.ndim]), U32.pack(width), U32.pack(len(sizes)),
                     struct.pack('>%dI' % len(sizes), *sizes), values.tobytes()])


def sliceable(prediction, splits):
    """What a merged call's answer is cut by position into one part per request (splits[i] rows)
    with: the answer itself for a list, a tuple, a numpy array or a pandas Index, its .iloc for a
    pandas DataFrame or Series (slicing one with a float index is by label). Anything else (a string,
    a dict, a scalar) raises RowMismatch, as does another row count: slicing it would hand one
    client's answer, or part of it, to another."""
    total = row_count(prediction)
    if total != sum(splits):
        raise RowMismatch(total)
    if isinstance(prediction, (list, tuple)):
        return prediction
    numpy, pandas = sys.modules.get('numpy'), sys.modules.get('pandas')
    if numpy is not None and isinstance(prediction, numpy.ndarray):
        return prediction
    if pandas is not None:
        if isinstance(prediction, (pandas.DataFrame, pandas.Series)):
            return prediction.iloc
        if isinstance(prediction, pandas.Index):
            return prediction
    raise RowMismatch(total, type(prediction).__name__)


def split(prediction, rows, splits):
    """The parts of a merged call's answer, cut from rows (see sliceable), each exactly its request's
    rows."""
    parts, start = [], 0
    for size in splits:
        part = rows[start:start + size]
        if row_count(part) != size:
            raise RowMismatch(row_count(prediction), type(prediction).__name__)
        parts.append(part)
        start += size
    return parts


def row_count(prediction):
    shape = getattr(prediction, 'shape', None)
    if shape is not None:
        return shape[0] if len(shape) > 0 else -1
    try:
        return len(prediction)
    except TypeError:
        return -1


class Gppi:
    """One imported GPPI model. Each method takes and returns the payload of one frame."""

    def __init__(self, module, mode, model_path, numpy=None):
        self.module = module
        self.mode = mode
        self.model_path = model_path
        self.numpy = numpy  # with --input-matrix ndarray
        self.missing_module_note = None  # in-process runtimes: what a dependency missing there means
        self.max_frame = None  # a larger packed answer is sent as JSON
        self.encoder = None  # the python style's, once cli_encoder() has found it

    def failed(self, error):
        """The ModelError of the model's own exception: a dependency it imports only now that is missing
        gets missing_module_note, as it would at start."""
        if self.missing_module_note and isinstance(error, ImportError) \
                and not own_module(error, self.module.__name__, self.model_path):
            # Also GraalPy's "Cannot run any C extensions ...": an ImportError naming no module.
            text = str(error)
            return ModelError(error, message='%s%s%s' % (text, ' ' if text.endswith('.') else '. ',
                                                          self.missing_module_note))
        return ModelError(error)

    def cli_encoder(self):
        """The encoder class of the python style (ODAHU's CLI invoker writes results.json with it): the
        model's get_output_json_serializer() with _default for what it refuses, or None. Only that
        style calls the model's function, when first used, as only ODAHU's CLI invoker did (its
        server never did): a function that raises or returns a wrong value fails these calls, not the
        model's start. An encoder instance stands for its class."""
        if self.encoder is None:
            serializer = getattr(self.module, 'get_output_json_serializer', None)
            try:
                encoder = serializer() if serializer else None
            except Exception as error:
                raise ModelError(error, message='get_output_json_serializer() raised %s: %s'
                                 % (type(error).__name__, error))
            if isinstance(encoder, json.JSONEncoder):
                encoder = type(encoder)
            if encoder is not None and not (isinstance(encoder, type) and issubclass(encoder, json.JSONEncoder)):
                raise ModelError(TypeError('get_output_json_serializer() returned %r, not a json.JSONEncoder subclass'
                                           % (encoder,)))
            self.encoder = with_fallback(encoder) if encoder else False
        return self.encoder or None

    def predict(self, payload):
        """The answer's frame type (RESULT or PACKED_RESULT) and payload."""
        if payload[:1] == b'\0':
            request, data = self.unpack(payload)
        else:
            request = json.loads(payload)
            data = request['data']
        splits = request.get('splits') or [None]  # one request: data is whatever the client sent
        compact = request.get('style', 'compact') == 'compact'
        cls = None if compact else self.cli_encoder()
        try:
            prediction, columns = self.module.predict_on_matrix(data, provided_columns_names=request.get('columns'))
        except Exception as error:  # the model's own failure, reported to the caller
            raise self.failed(error)
        merged = len(splits) > 1
        rows = sliceable(prediction, splits) if merged else None
        # As ODAHU's orjson writes them: a string stays a string (a typo for a 1-tuple, ('result'),
        # is "result", not its letters); a tuple, an array or a pandas Index is a list.
        columns_json = encode_json(columns, compact)
        chunks = [U32.pack(len(columns_json)), columns_json]
        packed = pack_numbers(prediction, splits) if compact else None
        if packed is not None and self.max_frame and 4 + len(columns_json) + len(packed) > self.max_frame:
            packed = None  # small integers take more room packed than as JSON
        if packed is not None:
            chunks.append(packed)
            return PACKED_RESULT, b''.join(chunks)
        parts = [encode_json(part, compact, cls) for part in split(prediction, rows, splits)] if merged \
            else [encode_json(prediction, compact, cls)]
        chunks.append(U32.pack(len(parts)))
        for part in parts:
            chunks.append(U32.pack(len(part)))
            chunks.append(part)
        # The answer's rows (all ones: none to count), with which the Java side turns merging off for a
        # model whose answer to one request has another row count than its input (a packed result
        # says its rows itself).
        chunks.append(U32.pack(row_count(prediction) & 0xFFFFFFFF))
        return RESULT, b''.join(chunks)

    def unpack(self, payload):
        """A packed request's header and its matrix: a writable numpy view of the payload's values, or
        with "lists" the lists of Python floats."""
        size = U32.unpack_from(payload, 1)[0]
        request = json.loads(payload[5:5 + size])
        rows, width = request['shape']
        start = 5 + size
        # With ndarray, our numpy; with lists, the model's if it imported numpy: tolist() builds the
        # same lists in C, a third faster than the slicing below, which is for lists only.
        numpy = self.numpy or sys.modules.get('numpy')
        if numpy is not None:
            matrix = numpy.frombuffer(payload, '<f8', rows * width, start).reshape(rows, width)
            return request, matrix.tolist() if request.get('lists') else matrix
        values = array.array('d')
        values.frombytes(memoryview(payload)[start:start + 8 * rows * width])
        if sys.byteorder == 'big':
            values.byteswap()
        values = values.tolist()
        return request, [values[row * width:(row + 1) * width] for row in range(rows)]

    def info(self):
        try:
            input_schema, output_schema = self.module.info()
        except Exception as error:
            raise self.failed(error)
        # ODAHU reads only each field's name and example; a type that is no JSON (np.dtype('float64'))
        # must not fail GET /api/model/info.
        return encode_json({'input': input_schema, 'output': output_schema}, describing=True)

    def self_check(self):
        """ODAHU's self_check: info() and, when head_input.pkl exists, predict_on_matrix() on it (init()
        ran at start). Only the model's own exceptions fail it: ODAHU's ignores what the two return, so
        the report describes it as far as it can."""
        answer = None
        try:
            schemas = self.module.info()
            head = os.path.join(os.environ.get('MODEL_LOCATION', '.'), 'head_input.pkl')
            predicted = os.path.exists(head)
            if predicted:
                import pandas
                answer = self.module.predict_on_matrix(pandas.read_pickle(head))
        except Exception as error:
            raise self.failed(error)
        report = {'mode': self.mode}
        info = described(lambda: {'input': len(schemas[0]), 'output': len(schemas[1])})
        if info is not None:
            report['info'] = info
        if predicted:
            prediction, columns = answer if isinstance(answer, tuple) and len(answer) == 2 else (answer, None)
            report['prediction'] = {'rows': described(lambda: row_count(prediction), -1),
                                    'columns': described(lambda: names(columns), [])}
        return encode_json(report, describing=True)


def described(describe, otherwise=None):
    """What describe() returns, or otherwise if it raises: describing a model's answer fails no call."""
    try:
        return describe()
    except Exception:
        return otherwise


def names(columns):
    """Output columns as a list of strings, however the model returned them (a pandas Index or an array
    has no truth value)."""
    if columns is None:
        return []
    if isinstance(columns, str):
        return [columns]
    return [column if isinstance(column, str) else str(column) for column in columns]


def load(module_name, model_path, input_matrix='lists'):
    """Imports the entrypoint module from model_path and calls its init(), as ODAHU's CLI invoker does,
    and lets the model import itself as ODAHU's REST server did: odahuflow_model is its directory."""
    numpy = None
    if input_matrix == 'ndarray':
        try:
            numpy = importlib.import_module('numpy')
        except ImportError as error:
            # Ours, not the model's: stage 'ndarray' keeps the model's dependencies out of the blame.
            raise StartupError('ndarray', ImportError('--input-matrix ndarray needs numpy: %s' % error, name='numpy'))
    add_site_directories()
    if model_path not in sys.path:
        sys.path.append(model_path)
    packaged = provide_model_package(model_path)
    # Importing a model's libraries builds a few hundred thousand objects that live as long as the
    # worker; each full collection on the way would walk all of them again (wine: 8 % of its import).
    # The collector pauses for the import, and what it built is frozen before init() runs with the
    # collector as the model found it.
    collecting = gc.isenabled()
    gc.disable()
    try:
        module = import_entrypoint(module_name, packaged)
    except BaseException as error:  # SystemExit from module code is a start-up failure too
        raise started_failing('import', error, module_name, model_path)
    finally:
        freeze()
        if collecting:
            gc.enable()
    try:
        mode = module.init()
        if mode != 'matrix':
            raise ValueError("init() returned %r: only the 'matrix' prediction mode is supported" % (mode,))
    except BaseException as error:
        raise started_failing('init', error, module_name, model_path)
    freeze()
    return Gppi(module, mode, model_path, numpy)


def add_site_directories():
    """Runs the .pth files of the site-packages directories on PYTHONPATH, as Python runs those of its
    own site directories and pip's installs count on (a namespace package's *-nspkg.pth, a package's
    extra path): odahu-pack's dependency trees reach the worker as such PYTHONPATH entries, whose .pth
    files Python itself leaves alone."""
    if sys.implementation.name != 'cpython':  # the trees are CPython's
        return
    import site
    for entry in os.environ.get('PYTHONPATH', '').split(os.pathsep):
        if entry and os.path.basename(os.path.normpath(entry)) == 'site-packages' and os.path.isdir(entry):
            site.addsitedir(entry)


def started_failing(stage, error, module_name, model_path):
    """The StartupError of error, or error itself when it is GraalPy's os._exit(), which Python code
    sees as a polyglot.ForeignException: the Java side reports the exit."""
    if type(error).__module__ == 'polyglot':
        return error
    return StartupError(stage, error, own_module(error, module_name, model_path))


def provide_model_package(model_path):
    """ODAHU's REST image imported odahuflow_model.entrypoint, with the model's files in
    /app/odahuflow_model and /app on sys.path, so model code may import its own modules as
    `from odahuflow_model import helper` or `from . import helper`. Unless a real odahuflow_model is
    importable, that name becomes a package whose __path__ is the model's directory. Returns whether
    it did."""
    if MODEL_PACKAGE in sys.modules:
        return False
    try:
        if importlib.util.find_spec(MODEL_PACKAGE) is not None:
            return False
    except (ImportError, ValueError):
        pass
    spec = importlib.machinery.ModuleSpec(MODEL_PACKAGE, None, is_package=True)
    spec.submodule_search_locations = [model_path]
    sys.modules[MODEL_PACKAGE] = importlib.util.module_from_spec(spec)
    return True


def import_entrypoint(module_name, packaged):
    """The entrypoint module, imported by its name as ODAHU's CLI invoker does (pickles may name that
    module), or, when that fails on its relative imports (`from . import helper`, written for ODAHU's
    REST server), as odahuflow_model.<name>."""
    try:
        return importlib.import_module(module_name)
    except ImportError as error:
        if not packaged or 'attempted relative import with no known parent package' not in str(error):
            raise
    sys.modules.pop(module_name, None)
    return importlib.import_module(MODEL_PACKAGE + '.' + module_name)


def own_module(error, module_name, model_path):
    """The module an ImportError says is missing when it is the model's own, not a dependency:
    odahuflow_model's, the entrypoint's, or a module or package in the model's directory."""
    name = error.name if isinstance(error, ImportError) else None
    if not name:
        return None
    top = name.split('.')[0]
    if top in (MODEL_PACKAGE, module_name.split('.')[0]) or os.path.isfile(os.path.join(model_path, top + '.py')) \
            or os.path.isdir(os.path.join(model_path, top)):
        return name
    return None


def freeze():
    """What the imports and init() built lives as long as the worker: the cyclic garbage collector
    stops walking it on every full collection, which costs a quarter of a batch worker's time."""
    if hasattr(gc, 'freeze'):
        gc.freeze()


def startup_error_payload(failure):
    error = failure.error
    missing = error.name if isinstance(error, ImportError) and not failure.own_module else None
    return error_payload(error, stage=failure.stage, missing_module=missing, model_module=failure.own_module,
                         python=sys.executable)


def embedded_start(module_name, model_path, missing_module_note=None):
    """For in-process runtimes (GraalPy): returns (frame type, payload, Gppi or None). The message of a
    dependency missing when the model imports it while predicting ends with missing_module_note."""
    time.sleep = whole_seconds_first(time.sleep)
    try:
        gppi = load(module_name, model_path)
    except StartupError as failure:
        return INIT_ERROR, startup_error_payload(failure), None
    gppi.missing_module_note = missing_module_note
    return HELLO, hello_payload(), gppi


def whole_seconds_first(sleep):
    """time.sleep for GraalPy (25.2), whose sleep of a float goes on, spinning, when its context is
    cancelled (a timeout kills the worker so), and holds up the worker's replacement until it ends: the
    whole seconds are slept as an int, which cancellation stops, then the fraction."""
    @functools.wraps(sleep)
    def sleep_whole_seconds_first(seconds):
        if isinstance(seconds, float) and 1.0 <= seconds < 1e15:  # not NaN, nor past int sleep's range
            whole = int(seconds)
            sleep(whole)
            seconds -= whole
        sleep(seconds)
    return sleep_whole_seconds_first


def hello_payload():
    return encode_json({'protocol': PROTOCOL_VERSION, 'pid': os.getpid(), 'python': sys.version.split()[0],
                        'ready': True})


class Channel:
    """Length-prefixed frames over two raw file descriptors."""

    def __init__(self, reader, writer, max_frame):
        self.reader = reader
        self.writer = writer
        self.max_frame = max_frame

    def _read_exactly(self, size):
        buffer = bytearray(size)
        view = memoryview(buffer)
        done = 0
        while done < size:
            count = self.reader.readinto(view[done:])
            if not count:
                return None
            done += count
        return buffer  # writable: numpy arrays over it may be changed by the model

    def read(self):
        header = self._read_exactly(HEADER.size)
        if header is None:
            return None, None
        length, kind = HEADER.unpack(header)
        if length > self.max_frame:
            raise ValueError('frame of %d bytes exceeds the maximum of %d' % (length, self.max_frame))
        payload = self._read_exactly(length) if length else b''
        if payload is None:
            return None, None
        return kind, payload

    def forget(self):
        """Closes the protocol's descriptors in a process the model forked (os.fork, multiprocessing):
        they are its parent's, and a child holding them would keep the Java side from seeing the end
        of the pipe when the worker dies or is killed, for as long as the child lives."""
        streams, self.reader, self.writer = (self.reader, self.writer), None, None
        for stream in streams:
            if stream is not None:  # None in a grandchild: the numbers may be reused by then
                stream.close()

    def write(self, kind, payload):
        if len(payload) > self.max_frame:
            # Not the model's exception: the Java side names the limit and how to raise it.
            kind, payload = MODEL_ERROR, error_payload(ValueError(
                'the answer is %d bytes, more than the maximum frame of %d bytes' % (len(payload), self.max_frame)),
                answer_bytes=len(payload), max_frame=self.max_frame)
        view = memoryview(HEADER.pack(len(payload), kind) + payload)
        while view:
            view = view[self.writer.write(view):]


def widen_pipe(fd):
    """Lets a merged request (~88 KB for 1,000 rows of 11 floats) cross the pipe in one write, not in
    turns of the default 64 KiB, each a wake-up of both sides. Best effort: not every system has pipes
    that grow, and an unprivileged user past /proc/sys/fs/pipe-user-pages-soft may not grow them."""
    try:
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (AttributeError, OSError):
        pass


def end_with_parent():
    """Ends the worker and its process group once the process that started it is gone. A server
    killed outright (kill -9, the OOM killer) stops nothing: an idle worker sees its pipe end, but one
    inside a long model call (or a model that never returns), and the processes its model started,
    would go on under init with nobody to answer. A daemon thread checks once a second that the
    parent is still the one that started the worker. Linux's PR_SET_PDEATHSIG is no help: it fires
    when the parent's *thread* that started the worker ends, and the JVM's threads come and go."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        if os.getpgrp() == os.getpid():
            os.killpg(os.getpid(), signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name='odahu-parent-watch', daemon=True).start()


def handle(gppi, kind, payload):
    try:
        if kind == PING:  # the Java side checks that an idle worker still answers
            return PONG, b''
        if kind == PREDICT:
            return gppi.predict(payload)
        if kind == INFO:
            return INFO_RESULT, gppi.info()
        if kind == SELF_CHECK:
            return SELF_CHECK_RESULT, gppi.self_check()
        return PROTOCOL_ERROR, error_payload(ValueError('unknown frame type %d' % kind))
    except ModelError as error:
        return MODEL_ERROR, error.payload
    except RowMismatch as mismatch:
        return ROW_MISMATCH, U32.pack(max(mismatch.rows, 0)) + mismatch.what.encode('utf-8', 'replace')
    except Exception as error:  # a bug in the request or in encoding the answer
        return MODEL_ERROR, error_payload(error)


def arguments(argv):
    import argparse
    parser = argparse.ArgumentParser()
    parser.add_argument('--module', required=True)
    parser.add_argument('--path', required=True)
    parser.add_argument('--protocol', type=int, required=True)
    parser.add_argument('--max-frame', type=int, required=True)
    parser.add_argument('--input-matrix', choices=('lists', 'ndarray'), default='lists')
    return parser.parse_args(argv)


def serve(args):

    # Keep the protocol on private descriptors: whatever the model writes to stdout (even from C code)
    # lands on stderr, and nothing it does can read the protocol's input.
    channel = Channel(os.fdopen(os.dup(0), 'rb', buffering=0), os.fdopen(os.dup(1), 'wb', buffering=0),
                      args.max_frame)
    widen_pipe(channel.reader.fileno())
    widen_pipe(channel.writer.fileno())
    os.register_at_fork(after_in_child=channel.forget)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    # The Java side decides when workers stop: a terminal's Ctrl-C, and a SIGTERM sent to the whole
    # process group or control group (systemd's stop, `kill -- -PGID`, dumb-init) rather than to the
    # JVM alone, must not cut a model call short while the server drains. SIGTERM gets a handler
    # that does nothing, not SIG_IGN, which processes the model starts would inherit (a
    # multiprocessing pool is terminated with SIGTERM); its forked children get the default back.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: None)
    os.register_at_fork(after_in_child=lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL))
    # A process group of its own, which the processes the model starts join: when the worker dies (a
    # crash, the OOM killer), the Java side kills the group, and with it children that would
    # otherwise live on under init, or hold the protocol's pipes open from a fork done in C.
    try:
        os.setpgid(0, 0)
    except OSError:  # already a session leader (started by setsid): its group is its own already
        pass
    end_with_parent()

    if args.protocol != PROTOCOL_VERSION:
        channel.write(INIT_ERROR, error_payload(ValueError(
            'protocol version %d requested, this worker speaks %d' % (args.protocol, PROTOCOL_VERSION)), stage='handshake'))
        return 2
    try:
        gppi = load(args.module, args.path, args.input_matrix)
    except StartupError as failure:
        channel.write(INIT_ERROR, startup_error_payload(failure))
        return 1
    gppi.max_frame = args.max_frame
    channel.write(HELLO, hello_payload())

    while True:
        kind, payload = channel.read()
        if kind is None or kind == SHUTDOWN:
            return 0
        channel.write(*handle(gppi, kind, payload))


def leave(status):
    """Ends the worker process at once with status, after flushing what the model printed: threads the
    model left running would make a normal exit wait for them (a non-daemon one for ever, until the
    Java side's grace ends and it terminates the worker). The model's atexit handlers do not run
    either: a worker may be killed at any time (a timeout), so a model cannot count on them, and one
    that blocks would hold the exit again."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # a closed or broken stream: nothing more to save
            pass
    os._exit(status)


def main(argv):
    args = arguments(argv)  # argparse's SystemExit: before any model code ran
    try:
        status = serve(args)
    except BaseException:
        # A frame over the limit, or the model's own sys.exit() or KeyboardInterrupt: the Java side
        # sees the exit and the traceback, and leave() does not wait for the model's threads.
        traceback.print_exc()
        status = 1
    leave(status)


if __name__ == '__main__':
    main(sys.argv[1:])
