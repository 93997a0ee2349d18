//! Reading stored sessions as JSON Lines, one bounded line at a time.

use std::io::BufRead;

use super::ReportError;
use crate::json::MAX_JSON_BYTES;
use crate::session::Session;

/// An iterator over the sessions of a JSON Lines stream: one session per line, blank lines skipped,
/// each line at most [`MAX_JSON_BYTES`] (a longer one is an error and skipped without being held).
#[derive(Debug)]
pub struct SessionLines<R: BufRead> {
    reader: R,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> SessionLines<R> {
    /// Reads from `reader`.
    pub fn new(reader: R) -> Self {
        Self {
            reader,
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    fn next_line(&mut self) -> Option<Result<(), ReportError>> {
        self.buf.clear();
        let limit = u64::try_from(MAX_JSON_BYTES).unwrap_or(u64::MAX) + 1;
        let read =
            std::io::Read::take(self.reader.by_ref(), limit).read_until(b'\n', &mut self.buf);
        self.line += 1;
        match read {
            Err(e) => Some(Err(e.into())),
            Ok(0) => None,
            Ok(_) if self.buf.len() > MAX_JSON_BYTES && self.buf.last() != Some(&b'\n') => {
                // Skip the rest of the over-long line, a chunk at a time.
                loop {
                    let (found, used) = match self.reader.fill_buf() {
                        Ok([]) => break,
                        Ok(chunk) => match chunk.iter().position(|b| *b == b'\n') {
                            Some(i) => (true, i + 1),
                            None => (false, chunk.len()),
                        },
                        Err(e) => return Some(Err(e.into())),
                    };
                    self.reader.consume(used);
                    if found {
                        break;
                    }
                }
                Some(Err(ReportError::BadSession {
                    line: self.line,
                    code: "json.too_large",
                    message: format!("line is over {MAX_JSON_BYTES} bytes"),
                }))
            }
            Ok(_) => Some(Ok(())),
        }
    }
}

impl<R: BufRead> Iterator for SessionLines<R> {
    type Item = Result<Session, ReportError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            match self.next_line() {
                None => {
                    self.done = true;
                    return None;
                }
                Some(Err(e)) => return Some(Err(e)),
                Some(Ok(())) => {}
            }
            let text = match std::str::from_utf8(&self.buf) {
                Ok(t) => t.trim(),
                Err(_) => {
                    return Some(Err(ReportError::BadSession {
                        line: self.line,
                        code: "json.malformed",
                        message: "not UTF-8".to_owned(),
                    }));
                }
            };
            if text.is_empty() {
                continue;
            }
            return Some(
                Session::from_json(text).map_err(|e| ReportError::BadSession {
                    line: self.line,
                    code: e.code(),
                    message: e.to_string(),
                }),
            );
        }
    }
}
