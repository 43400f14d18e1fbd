package org.odahu.pack.pydeps.declare;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.odahu.pack.pydeps.pep508.ProjectNames;

/**
 * What conda package names mean on a Python index: most are the same project, a few have another
 * name there ({@code pytorch} is {@code torch}), and native libraries (mkl, cudatoolkit,
 * libgcc-ng...) exist only as conda packages.
 */
final class CondaNames {
  /** Conda names whose Python project has another name. */
  private static final Map<String, String> TO_PYPI =
      Map.ofEntries(
          Map.entry("pytorch", "torch"),
          Map.entry("pytorch-cpu", "torch"),
          Map.entry("pytorch-gpu", "torch"),
          Map.entry("py-xgboost", "xgboost"),
          Map.entry("py-xgboost-cpu", "xgboost"),
          Map.entry("py-xgboost-gpu", "xgboost"),
          Map.entry("py-lightgbm", "lightgbm"),
          Map.entry("py-opencv", "opencv-python"),
          Map.entry("opencv", "opencv-python"),
          Map.entry("pytables", "tables"),
          Map.entry("msgpack-python", "msgpack"),
          Map.entry("matplotlib-base", "matplotlib"),
          Map.entry("tensorflow-base", "tensorflow"),
          Map.entry("ruamel_yaml", "ruamel.yaml"),
          Map.entry("python-graphviz", "graphviz"),
          Map.entry("pyqt", "pyqt5"),
          Map.entry("libprotobuf-python", "protobuf"),
          Map.entry("python-kubernetes", "kubernetes"),
          Map.entry("google-cloud-storage-python", "google-cloud-storage"));

  /** Conda packages that are native libraries or tools, not Python distributions. */
  private static final Set<String> CONDA_ONLY =
      Set.of(
          "mkl",
          "mkl-service",
          "mkl_fft",
          "mkl_random",
          "mkl-include",
          "intel-openmp",
          "nomkl",
          "blas",
          "libblas",
          "libcblas",
          "liblapack",
          "liblapacke",
          "openblas",
          "libopenblas",
          "cudatoolkit",
          "cudnn",
          "nccl",
          "cuda",
          "cuda-toolkit",
          "cuda-runtime",
          "cuda-nvcc",
          "cuda-cudart",
          "magma",
          "libgcc",
          "libgcc-ng",
          "libstdcxx-ng",
          "libgfortran-ng",
          "libgfortran5",
          "libgomp",
          "_libgcc_mutex",
          "_openmp_mutex",
          "llvm-openmp",
          "ld_impl_linux-64",
          "openssl",
          "ca-certificates",
          "libffi",
          "zlib",
          "libzlib",
          "xz",
          "bzip2",
          "lz4-c",
          "ncurses",
          "readline",
          "sqlite",
          "libsqlite",
          "tk",
          "libuuid",
          "libnsl",
          "libxcrypt",
          "libedit",
          "libiconv",
          "libxml2",
          "icu",
          "krb5",
          "libexpat",
          "expat",
          "hdf5",
          "libuv",
          "libev",
          "libpng",
          "jpeg",
          "libjpeg-turbo",
          "libtiff",
          "freetype",
          "fontconfig",
          "libwebp",
          "giflib",
          "libcurl",
          "curl",
          "git",
          "make",
          "cmake",
          "gcc",
          "gxx",
          "gxx_linux-64",
          "gcc_linux-64",
          "binutils",
          "libxgboost",
          "libopencv",
          "libprotobuf",
          "libarrow",
          "arrow-cpp",
          "graphviz",
          "tzdata",
          "python_abi",
          "conda",
          "conda-build",
          "anaconda",
          "r-base");

  private CondaNames() {}

  /** Whether conda package {@code name} is not a Python distribution. */
  static boolean isCondaOnly(String name) {
    return CONDA_ONLY.contains(name.toLowerCase(java.util.Locale.ROOT));
  }

  /** The Python project conda package {@code name} installs, if it has another name. */
  static Optional<String> pypiName(String name) {
    return Optional.ofNullable(TO_PYPI.get(name.toLowerCase(java.util.Locale.ROOT)))
        .or(() -> Optional.ofNullable(TO_PYPI.get(ProjectNames.normalize(name))));
  }
}
