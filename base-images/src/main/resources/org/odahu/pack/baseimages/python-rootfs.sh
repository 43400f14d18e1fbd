#!/usr/bin/env bash
# Recipe of odahu-pack's default base image: Debian 12 (bookworm) minbase with python3, numpy,
# scikit-learn and pandas from Debian's packages, trimmed of compilers, -dev packages and docs.
#
#   python-rootfs.sh ROOTFS [MIRROR]      (needs root, debootstrap and chroot)
#
# Debian's python3-scipy pulls pythran, which pulls gcc, g++, Boost and the -dev packages; none is
# needed at run time, so they are purged (dpkg --force-depends: apt would put them back). The
# OpenMP, Fortran and quad-math run-time libraries (libgomp1, libgfortran5, libquadmath0) stay.
# Any change to this file changes the image's cache key, so it is rebuilt.
set -euo pipefail
ROOTFS="$1"
MIRROR="${2:-http://deb.debian.org/debian}"
SUITE=bookworm
PACKAGES=python3,python3-numpy,python3-sklearn,python3-pandas,ca-certificates

debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOTFS" "$MIRROR"

BUILD_ONLY=(
  python3-pythran python3-beniget python3-gast python3-ply python3-distutils python3-lib2to3
  g++ g++-12 gcc gcc-12 cpp cpp-12 libboost-dev libboost1.74-dev libxsimd-dev
  libopenblas-dev libopenblas-pthread-dev
  python3-all python3-all-dev python3-dev python3.11-dev libpython3-all-dev libpython3-dev libpython3.11-dev
  libstdc++-12-dev libgcc-12-dev libc6-dev libc-dev-bin linux-libc-dev libcrypt-dev libnsl-dev
  libtirpc-dev libexpat1-dev zlib1g-dev
  binutils binutils-common binutils-x86-64-linux-gnu libbinutils libctf0 libctf-nobfd0 libgprofng0
  libasan8 libtsan2 liblsan0 libubsan1 libitm1 libcc1-0 libisl23 libmpc3 libmpfr6 libjansson4
  rpcsvc-proto libjs-jquery libjs-sphinxdoc libjs-underscore
)
installed=()
for package in "${BUILD_ONLY[@]}"; do
  if chroot "$ROOTFS" dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    installed+=("$package")
  fi
done
if [ ${#installed[@]} -gt 0 ]; then
  chroot "$ROOTFS" dpkg --purge --force-depends "${installed[@]}" >/dev/null
fi

rm -rf "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* \
       "$ROOTFS"/usr/share/locale/* "$ROOTFS"/var/cache/apt/* "$ROOTFS"/var/lib/apt/lists/* \
       "$ROOTFS"/var/log/* "$ROOTFS"/tmp/* "$ROOTFS"/root/.cache
find "$ROOTFS"/usr/lib/python3/dist-packages -type d -name tests -prune -exec rm -rf {} +

# Bytecode that stays valid in the image. The image's tarball gives every file one fixed time, so
# the packages' .pyc files, which record their source's time, would all be stale there: Python
# would compile every module from source at each start (~1 s more for scikit-learn and pandas per
# worker) and, with a read-only root, never keep the result. Hash-based .pyc files (PEP 552,
# unchecked) do not depend on times, and come out the same on every build.
chroot "$ROOTFS" /usr/bin/python3 -m compileall -q -f -j 0 --invalidation-mode unchecked-hash \
  /usr/lib/python3.11 /usr/lib/python3/dist-packages >/dev/null

# The image must work: fail the recipe, not the first model, if a needed library went away.
chroot "$ROOTFS" /usr/bin/python3 -c "import numpy, pandas, scipy, sklearn.linear_model, sklearn.ensemble; print('python base ok: numpy', numpy.__version__, 'pandas', pandas.__version__, 'scikit-learn', sklearn.__version__)"
