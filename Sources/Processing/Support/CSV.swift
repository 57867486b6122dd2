/// CSV as Mastodon writes it (RFC 4180 quoting, `\n` after each row): fields with a comma, a quote or a
/// line break are quoted, quotes doubled.
package enum CSV {
    package static func render(_ rows: [[String]]) -> String {
        rows.map { row in row.map(Self.field).joined(separator: ",") + "\n" }.joined()
    }

    static func field(_ value: String) -> String {
        let special: Set<Unicode.Scalar> = [",", "\"", "\n", "\r"]
        guard value.unicodeScalars.contains(where: special.contains) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Why a CSV file could not be read, with its line (from 1).
    package struct ParseError: Error, Equatable, Sendable {
        package let line: Int
        package let reason: String
    }

    /// Parses RFC 4180 CSV (quoted fields with doubled quotes and line breaks; CRLF or LF; a last line
    /// without its break). Blank lines are skipped. Strict: a quote inside an unquoted field, text after a
    /// closing quote or an unclosed quote is an error, so a damaged file is refused rather than guessed at.
    package static func parse(_ text: String) throws(ParseError) -> [(line: Int, fields: [String])] {
        var rows: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var afterQuote = false
        var line = 1
        var rowLine = 1
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        func endRow() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append((rowLine, fields)) }
            fields = []
            field = ""
            afterQuote = false
        }
        while let scalar = pending {
            pending = scalars.next()
            if quoted {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = scalars.next()
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                fields.append(field)
                field = ""
                afterQuote = false
            case "\r" where pending == "\n":
                continue
            case "\n", "\r":
                endRow()
                line += 1
                rowLine = line
            case "\"":
                guard field.isEmpty, !afterQuote else {
                    throw ParseError(line: line, reason: "a quote inside an unquoted field")
                }
                quoted = true
            default:
                guard !afterQuote else { throw ParseError(line: line, reason: "text after a closing quote") }
                field.unicodeScalars.append(scalar)
            }
        }
        guard !quoted else { throw ParseError(line: rowLine, reason: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || afterQuote { endRow() }
        return rows
    }
}
