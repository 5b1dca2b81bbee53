//! Request bodies are read chunk by chunk and cut off at the limit, so a body with no
//! `Content-Length`, or with one that lies, costs the relay at most the limit (plus one
//! chunk) before it answers 413.

use crate::RelayError;

/// Collects one request body up to a limit.
#[derive(Debug)]
pub struct BodyReader {
    limit: usize,
    read: Vec<u8>,
}

impl BodyReader {
    /// A reader for a body of at most `limit` bytes. A `Content-Length` already over
    /// the limit is refused before anything is read.
    pub fn new(limit: usize, declared: Option<&str>) -> Result<Self, RelayError> {
        if let Some(size) = declared.and_then(|d| d.trim().parse::<usize>().ok())
            && size > limit
        {
            return Err(too_large(size, limit));
        }
        Ok(Self {
            limit,
            read: Vec::new(),
        })
    }

    /// Takes the next chunk; 413 as soon as the body passes the limit.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), RelayError> {
        let size = self.read.len().saturating_add(chunk.len());
        if size > self.limit {
            return Err(too_large(size, self.limit));
        }
        self.read.extend_from_slice(chunk);
        Ok(())
    }

    /// The whole body.
    pub fn finish(self) -> Vec<u8> {
        self.read
    }
}

fn too_large(size: usize, limit: usize) -> RelayError {
    RelayError::TooLarge {
        what: "request body",
        size,
        limit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_client_body_is_cut_off_at_the_limit_whatever_it_declares() {
        assert!(
            BodyReader::new(10, Some("11")).is_err(),
            "declared too large"
        );
        // Declared small (a lie) or not declared: the stream itself is counted.
        for declared in [Some("3"), None, Some("garbage")] {
            let mut r = BodyReader::new(10, declared).unwrap();
            r.push(&[0; 6]).unwrap();
            assert!(matches!(
                r.push(&[0; 6]),
                Err(RelayError::TooLarge { size: 12, .. })
            ));
        }
        let mut r = BodyReader::new(10, Some("10")).unwrap();
        r.push(&[1; 4]).unwrap();
        r.push(&[2; 6]).unwrap();
        assert_eq!(r.finish().len(), 10, "exactly the limit is fine");
    }
}
