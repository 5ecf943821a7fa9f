//! An in-memory writer, so tests of this crate and of the action binaries can read what the runner printed.

use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};

/// A cloneable in-memory sink: give one clone to [`crate::Runner`], read the other.
#[derive(Debug, Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    pub fn new() -> Self {
        Captured::default()
    }

    /// Everything written so far, as UTF-8 (lossily).
    pub fn contents(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// A boxed clone, ready for [`crate::Runner::new`].
    pub fn writer(&self) -> Box<dyn Write + Send> {
        Box::new(self.clone())
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
