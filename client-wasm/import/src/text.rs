//! From bytes to rows of cells: the size ceiling, the encoding (UTF-8 with or without a
//! byte-order mark, UTF-16 with one), the separator (`,`, or `;` and tab from European
//! spreadsheets) and the cleaning of text cells. Everything else works on [`Row`]s.

use crate::Error;

/// The largest file the import reads: 5 MiB. A Splitwise export of ten years of a busy
/// flat is well under 1 MiB; the ceiling bounds the work a hostile file can cause.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// One record of the file, with the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

impl Row {
    /// The cell at `i`, trimmed; empty when the row is shorter.
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map_or("", |c| c.trim())
    }

    fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// Reads `bytes` as a table. Blank records (a file can end in a million empty lines) are
/// dropped here; line numbers stay those of the file.
pub(crate) fn read_rows(bytes: &[u8]) -> Result<Vec<Row>, Error> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::TooLarge {
            bytes: bytes.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(&text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut lines = Lines {
        text: text.as_bytes(),
        offset: 0,
        line: 1,
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, |p| lines.at(p.byte() as usize));
                let row = Row {
                    line,
                    cells: record.iter().map(str::to_owned).collect(),
                };
                if !row.is_blank() {
                    rows.push(row);
                }
            }
            // The text is valid UTF-8 already, so the reader has nothing left to refuse;
            // if it ever does, say where.
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.at(p.byte() as usize));
                return Err(Error::Row {
                    line,
                    problem: format!("cannot read the row: {e}"),
                });
            }
        }
    }
    Ok(rows)
}

/// Line numbers from byte offsets, counting `\n`, `\r\n` and a lone `\r` (old Mac
/// spreadsheets) as one line break each. Offsets are asked in increasing order, so the
/// whole file is scanned once.
struct Lines<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl Lines<'_> {
    /// The line of the first character at or after `offset` that is not a line break:
    /// the reader reports where it began looking for a record, before the blank lines
    /// it skipped.
    fn at(&mut self, offset: usize) -> u64 {
        let text = self.text;
        let breaks = |i: usize| match text[i] {
            b'\n' => true,
            b'\r' => text.get(i + 1) != Some(&b'\n'),
            _ => false,
        };
        let target = offset.min(text.len());
        while self.offset < target {
            self.line += u64::from(breaks(self.offset));
            self.offset += 1;
        }
        let mut i = self.offset;
        let mut line = self.line;
        while i < text.len() && matches!(text[i], b'\n' | b'\r') {
            line += u64::from(breaks(i));
            i += 1;
        }
        line
    }
}

/// UTF-8 (a byte-order mark is dropped) or UTF-16 with its byte-order mark. Anything else
/// (Windows-1252 from an old Excel, say) is refused rather than guessed at: the same
/// bytes mean different names in different code pages.
fn decode(bytes: &[u8]) -> Result<String, Error> {
    let utf16 = |bytes: &[u8], read: fn([u8; 2]) -> u16| {
        let units = bytes
            .chunks(2)
            .map(|c| read([c[0], *c.get(1).unwrap_or(&0)]));
        let mut out = String::with_capacity(bytes.len());
        let mut line = 1;
        for c in char::decode_utf16(units) {
            match c {
                Ok(c) => {
                    line += u64::from(c == '\n');
                    out.push(c);
                }
                Err(_) => return Err(Error::Encoding { line }),
            }
        }
        if bytes.len() % 2 == 1 {
            return Err(Error::Encoding { line });
        }
        Ok(out)
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(rest),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => utf8(bytes),
    }
}

fn utf8(bytes: &[u8]) -> Result<String, Error> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => {
            let before = &bytes[..e.valid_up_to()];
            let line = 1 + before.iter().filter(|b| **b == b'\n').count() as u64;
            Err(Error::Encoding { line })
        }
    }
}

/// The separator: whichever of `,` `;` and tab appears most, outside quotes, on one of
/// the first lines (the header has at least five). European Excel writes `;` because its
/// decimal mark is the comma.
fn separator(text: &str) -> u8 {
    let mut best = (0usize, b',');
    for line in text.lines().filter(|l| !l.trim().is_empty()).take(20) {
        for sep in [b',', b';', b'\t'] {
            let mut quoted = false;
            let mut count = 0;
            for b in line.bytes() {
                match b {
                    b'"' => quoted = !quoted,
                    b if b == sep && !quoted => count += 1,
                    _ => {}
                }
            }
            if count > best.0 {
                best = (count, sep);
            }
        }
    }
    best.1
}

/// What cleaning did to a text cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Cleaned {
    /// Control characters were replaced by spaces.
    pub controls: bool,
    /// The text was cut to the length limit.
    pub shortened: bool,
}

/// A text cell as the ledger should hold it: trimmed; the apostrophe that spreadsheet
/// exports (ours included) put before `=`, `+`, `-`, `@` to stop formulas is taken off
/// again; control characters (never meaningful in a one-line name or title) become
/// spaces; at most `max_chars` characters. Right-to-left text, emoji and every other
/// printable character are kept as written.
pub(crate) fn clean(text: &str, max_chars: usize) -> (String, Cleaned) {
    let mut report = Cleaned::default();
    let mut t = text.trim();
    if let Some(rest) = t.strip_prefix('\'')
        && rest.starts_with(['=', '+', '-', '@', '\t', '\r'])
    {
        t = rest;
    }
    let mut out = String::with_capacity(t.len().min(max_chars * 4));
    for (n, c) in t.chars().enumerate() {
        if n == max_chars {
            report.shortened = true;
            break;
        }
        if c.is_control() {
            report.controls = true;
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    (out.trim().to_owned(), report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_are_found_outside_quotes() {
        assert_eq!(separator("a,b,c\n1,2,3"), b',');
        assert_eq!(
            separator("Datum;Beschreibung;Kategorie;Kosten;Währung;A\n"),
            b';'
        );
        assert_eq!(separator("\"x;y;z;w\",b,c\n"), b',');
        assert_eq!(separator("a\tb\tc\n"), b'\t');
    }

    #[test]
    fn encodings_are_read_or_refused_with_the_line() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc").unwrap(), "abc");
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Zoë\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16le).unwrap(), "Zoë\n");
        assert_eq!(
            decode(b"ok\nok\nZo\xEB\n"),
            Err(Error::Encoding { line: 3 })
        );
    }

    #[test]
    fn hostile_input_from_a_member_text_is_cleaned_but_kept() {
        assert_eq!(clean("  '=SUM(A1)  ", 100).0, "=SUM(A1)");
        assert_eq!(clean("'quoted'", 100).0, "'quoted'");
        let (t, r) = clean("a\u{0}b\u{1b}[31mc", 100);
        assert_eq!(t, "a b [31mc");
        assert!(r.controls);
        assert_eq!(clean("שלום 🎉", 100).0, "שלום 🎉");
        let (t, r) = clean(&"é".repeat(5000), 10);
        assert_eq!(t.chars().count(), 10);
        assert!(r.shortened);
    }

    #[test]
    fn blank_lines_are_dropped_and_line_numbers_kept() {
        let rows = read_rows(b"a,b\n\n\n,\n\"x\ny\",z\nlast,1").unwrap();
        let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 5, 7]);
        assert_eq!(rows[1].cells, vec!["x\ny", "z"]);
        for text in [
            "h\n\nrow\n\n\nlast",
            "h\r\n\r\nrow\r\n\r\n\r\nlast",
            "h\r\rrow\r\r\rlast",
        ] {
            let lines: Vec<u64> = read_rows(text.as_bytes())
                .unwrap()
                .iter()
                .map(|r| r.line)
                .collect();
            assert_eq!(lines, vec![1, 3, 6], "{text:?}");
        }
    }
}
