//! Black-box end-to-end suite: the real binaries against a running `pactline-broker`.
