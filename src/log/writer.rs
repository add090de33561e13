//! Appending, fsync'ed writer of the hash-chained ceremony log.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::canonical::{check_event, check_key, check_value, encode_object, format_time};
use super::error::LogError;
use super::{Clock, SEAL_EVENT};

/// Writes a ceremony log line by line. Each [`append`](LogWriter::append) returns only
/// after the line reached the disk (`fsync`). The log ends with [`seal`](LogWriter::seal).
///
/// If any write fails the writer refuses all further appends ([`LogError::Poisoned`]):
/// the file may end in a partial line and the ceremony must be restarted.
pub struct LogWriter {
    file: File,
    path: PathBuf,
    clock: Clock,
    next_seq: u64,
    head: [u8; 32],
    written: Vec<u8>,
    poisoned: bool,
}

impl std::fmt::Debug for LogWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogWriter")
            .field("path", &self.path)
            .field("next_seq", &self.next_seq)
            .field("head", &hex_lower(&self.head))
            .finish_non_exhaustive()
    }
}

/// A sealed log: every byte written to the file, its last line's hash and line count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedLog {
    /// The whole log file exactly as written (and read back from disk), seal included.
    pub bytes: Vec<u8>,
    /// SHA-256 of the last (seal) line, without its newline.
    pub head: [u8; 32],
    /// Number of lines, seal included.
    pub lines: u64,
}

impl LogWriter {
    /// Creates a new log file at `path` (it must not exist; mode 0644) and syncs its
    /// directory so the new entry survives a power cut. `clock` stamps every line.
    pub fn create(path: &Path, clock: Clock) -> Result<LogWriter, LogError> {
        let file =
            OpenOptions::new().write(true).create_new(true).mode(0o644).open(path).map_err(|e| {
                match e.kind() {
                    ErrorKind::AlreadyExists => LogError::Exists(path.to_path_buf()),
                    _ => io_err("create log file", path, e),
                }
            })?;
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        File::open(dir).and_then(|d| d.sync_all()).map_err(|e| io_err("sync directory", dir, e))?;
        Ok(LogWriter {
            file,
            path: path.to_path_buf(),
            clock,
            next_seq: 0,
            head: [0; 32],
            written: Vec::new(),
            poisoned: false,
        })
    }

    /// Appends one event with its fields (written in the order given) and returns its `seq`.
    ///
    /// Refuses: event names outside dot-separated `[a-z0-9_]` parts, `ceremony.sealed`
    /// (use [`seal`](LogWriter::seal)), keys `seq`/`time`/`event`/`prev` or outside
    /// `[a-z0-9_]`, duplicate keys, floats anywhere, nesting deeper than 32 levels.
    pub fn append(&mut self, event: &str, fields: &[(&str, Value)]) -> Result<u64, LogError> {
        check_event(event).map_err(|why| LogError::BadEvent(event.to_owned(), why))?;
        if event == SEAL_EVENT {
            return Err(LogError::BadEvent(event.to_owned(), "reserved for LogWriter::seal"));
        }
        for (i, (key, value)) in fields.iter().enumerate() {
            check_key(key).map_err(|why| LogError::BadField((*key).to_owned(), why))?;
            if fields[..i].iter().any(|(k, _)| k == key) {
                return Err(LogError::BadField((*key).to_owned(), "duplicate key"));
            }
            check_value(value, 0).map_err(|why| LogError::BadField((*key).to_owned(), why))?;
        }
        self.write_line(event, fields)
    }

    /// SHA-256 of the last line written, without its newline (all zeros before the first).
    pub fn head(&self) -> [u8; 32] {
        self.head
    }

    /// Number of lines written so far (the `seq` the next line will get).
    pub fn lines(&self) -> u64 {
        self.next_seq
    }

    /// Writes the final `ceremony.sealed` line (with `lines_before`), fsyncs, reads the
    /// file back and checks it matches what was written, and returns its bytes.
    pub fn seal(mut self) -> Result<SealedLog, LogError> {
        let lines_before = Value::from(self.next_seq);
        self.write_line(SEAL_EVENT, &[("lines_before", lines_before)])?;
        let on_disk = std::fs::read(&self.path).map_err(|e| io_err("read back log file", &self.path, e))?;
        if on_disk != self.written {
            return Err(LogError::Changed(self.path));
        }
        Ok(SealedLog { bytes: self.written, head: self.head, lines: self.next_seq })
    }

    /// Encodes and durably writes one line; on failure poisons the writer.
    fn write_line(&mut self, event: &str, fields: &[(&str, Value)]) -> Result<u64, LogError> {
        if self.poisoned {
            return Err(LogError::Poisoned);
        }
        let seq = self.next_seq;
        let header = [
            Value::from(seq),
            Value::String(format_time((self.clock)())?),
            Value::String(event.to_owned()),
            Value::String(hex_lower(&self.head)),
        ];
        let head_pairs = super::canonical::HEADER_KEYS.into_iter().zip(header.iter());
        let field_pairs = fields.iter().map(|(k, v)| (*k, v));
        let mut line = encode_object(head_pairs.chain(field_pairs));
        let hash: [u8; 32] = Sha256::digest(&line).into();
        line.push(b'\n');

        // One write (write_all only loops on a short write) then fsync before returning.
        self.poisoned = true;
        self.file.write_all(&line).map_err(|e| io_err("write log file", &self.path, e))?;
        self.file.sync_all().map_err(|e| io_err("sync log file", &self.path, e))?;
        self.poisoned = false;

        self.written.extend_from_slice(&line);
        self.head = hash;
        self.next_seq += 1;
        Ok(seq)
    }
}

fn io_err(op: &'static str, path: &Path, source: std::io::Error) -> LogError {
    LogError::Io { op, path: path.to_path_buf(), source }
}

/// Lowercase hex of bytes.
pub(crate) fn hex_lower(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}
