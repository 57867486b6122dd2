import Foundation
import Mail
import Testing

@Suite struct MailMessageRenderingTests {
    static let date = Date(timeIntervalSince1970: 1_772_528_700)  // Tue, 03 Mar 2026 09:05:00 +0000

    static func message(
        subject: String = "Hello",
        text: String = "Hi there.\n",
        html: String? = nil,
        headers: [(String, String)] = []
    ) throws -> MailMessage {
        var message = MailMessage(
            from: try MailAddress("notifications@tern.example", name: "Tern"),
            to: [try MailAddress("alice@example.org", name: "Alice")],
            subject: subject,
            text: text,
            html: html,
            headers: headers,
            date: Self.date
        )
        message.messageID = "<fixed.id@tern.example>"
        return message
    }

    static func string(_ message: MailMessage) -> String {
        String(decoding: message.rendered(), as: UTF8.self)
    }

    /// Header lines (unfolded) up to the first blank line.
    static func headers(_ message: MailMessage) -> [String] {
        let text = Self.string(message)
        let head = text.components(separatedBy: "\r\n\r\n")[0]
        return head.replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n")
    }

    /// Minimal quoted-printable decoder for checking round trips.
    static func decodeQuotedPrintable(_ text: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "="), index + 2 < input.count,
                let value = UInt8(String(decoding: input[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(input[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }

    @Test func usesCRLFEverywhere() throws {
        let message = try Self.message(
            subject: "Line\nbreak",
            text: "one\ntwo\r\nthree\rfour\n",
            html: "<p>one</p>\n<p>two</p>"
        )
        let bytes = message.rendered()
        for (index, byte) in bytes.enumerated() {
            if byte == 10 {
                #expect(index > 0 && bytes[index - 1] == 13, "bare LF at \(index)")
            }
            if byte == 13 {
                #expect(index + 1 < bytes.count && bytes[index + 1] == 10, "bare CR at \(index)")
            }
        }
        #expect(bytes.suffix(2) == [13, 10])
    }

    @Test func writesRequiredHeaders() throws {
        let headers = Self.headers(try Self.message())
        #expect(headers.contains("Date: Tue, 03 Mar 2026 09:05:00 +0000"))
        #expect(headers.contains("From: Tern <notifications@tern.example>"))
        #expect(headers.contains("To: Alice <alice@example.org>"))
        #expect(headers.contains("Subject: Hello"))
        #expect(headers.contains("Message-ID: <fixed.id@tern.example>"))
        #expect(headers.contains("MIME-Version: 1.0"))
        #expect(headers.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(headers.contains("Content-Transfer-Encoding: quoted-printable"))
        #expect(headers.contains("Auto-Submitted: auto-generated"))
    }

    @Test func generatesMessageIDInSenderDomain() throws {
        let message = MailMessage(
            from: try MailAddress("a@bücher.example"),
            to: [try MailAddress("b@example.org")],
            subject: "s",
            text: "t"
        )
        #expect(message.messageID.hasPrefix("<"))
        #expect(message.messageID.hasSuffix("@xn--bcher-kva.example>"))
        #expect(MailMessage.isValidMessageID(message.messageID))
        let other = MailMessage(from: message.from, to: message.to, subject: "s", text: "t")
        #expect(other.messageID != message.messageID)
    }

    @Test func quotedPrintableLinesStayWithin76() throws {
        let text =
            String(repeating: "Grüße aus Zürich, ", count: 20) + "\n" + String(repeating: "=", count: 200) + "\n"
            + String(repeating: "x", count: 75) + " \n" + "tab\tend\t\n" + "🐘🐘🐘" + String(repeating: "é", count: 60)
        let message = try Self.message(text: text)
        let rendered = Self.string(message)
        let body = rendered.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        for line in body.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76, "line too long: \(line)")
            #expect(line.utf8.allSatisfy { $0 < 128 }, "non-ASCII in body: \(line)")
            #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"), "trailing whitespace: \(line)")
        }
        #expect(Self.decodeQuotedPrintable(body) == text + "\n")
    }

    @Test func nonASCIISubjectBecomesEncodedWords() throws {
        let subject = "Grüße — ein ziemlich langer Betreff mit Umlauten äöü und einem Elefanten 🐘 am Ende"
        let message = try Self.message(subject: subject)
        let rendered = Self.string(message)
        let subjectLines = rendered.components(separatedBy: "\r\n").drop { !$0.hasPrefix("Subject:") }
            .prefix { $0.hasPrefix("Subject:") || $0.hasPrefix(" ") }
        #expect(subjectLines.count > 1, "long subject should be folded")
        let words = subjectLines.joined().dropFirst("Subject:".count).split(separator: " ")
        var decoded: [UInt8] = []
        for word in words {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let payload = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            let data = try #require(Data(base64Encoded: String(payload)))
            #expect(String(data: data, encoding: .utf8) != nil, "word splits a character")
            decoded += data
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
        for line in rendered.components(separatedBy: "\r\n") {
            #expect(line.utf8.allSatisfy { $0 < 128 })
        }
    }

    @Test func asciiSubjectStaysReadableAndCannotInjectHeaders() throws {
        let message = try Self.message(subject: "Hi\r\nBcc: evil@example.net")
        let headers = Self.headers(message)
        #expect(headers.contains("Subject: Hi  Bcc: evil@example.net"))
        #expect(!headers.contains { $0.hasPrefix("Bcc:") })
    }

    @Test func encodesDisplayNames() throws {
        var message = try Self.message()
        message.from = try MailAddress("a@tern.example", name: "Zoë")
        message.to = [try MailAddress("b@example.org", name: "Smith, John \"JJ\""), try MailAddress("c@example.org")]
        let headers = Self.headers(message)
        #expect(headers.contains("From: =?UTF-8?B?Wm/Dqw==?= <a@tern.example>"))
        #expect(headers.contains("To: \"Smith, John \\\"JJ\\\"\" <b@example.org>, c@example.org"))
    }

    @Test func extraHeadersAreWrittenAndValidated() throws {
        let message = try Self.message(headers: [("List-Unsubscribe", "<https://tern.example/unsubscribe/1>")])
        try message.validate()
        #expect(Self.headers(message).contains("List-Unsubscribe: <https://tern.example/unsubscribe/1>"))

        let injected = try Self.message(headers: [("X-Note", "a\r\nBcc: evil@example.net")])
        #expect(throws: MailError.self) { try injected.validate() }
        #expect(!Self.headers(injected).contains { $0.hasPrefix("Bcc:") })

        let badName = try Self.message(headers: [("Bad Name", "x")])
        #expect(throws: MailError.self) { try badName.validate() }
        let reserved = try Self.message(headers: [("Subject", "second subject")])
        #expect(throws: MailError.self) { try reserved.validate() }
        #expect(Self.headers(reserved).filter { $0.hasPrefix("Subject:") }.count == 1)
    }

    @Test func autoSubmittedCanBeOverridden() throws {
        let message = try Self.message(headers: [("Auto-Submitted", "auto-replied")])
        let headers = Self.headers(message)
        #expect(headers.contains("Auto-Submitted: auto-replied"))
        #expect(!headers.contains("Auto-Submitted: auto-generated"))
    }

    @Test func htmlMakesMultipartAlternative() throws {
        let message = try Self.message(text: "plain body", html: "<p>html body</p>")
        let rendered = Self.string(message)
        let headers = Self.headers(message)
        let contentType = try #require(headers.first { $0.hasPrefix("Content-Type:") })
        #expect(contentType.hasPrefix("Content-Type: multipart/alternative; boundary=\"=_"))
        let boundary = try #require(contentType.split(separator: "\"").dropFirst().first)
        #expect(rendered.contains("\r\n--\(boundary)\r\nContent-Type: text/plain; charset=utf-8\r\n"))
        #expect(rendered.contains("\r\n--\(boundary)\r\nContent-Type: text/html; charset=utf-8\r\n"))
        #expect(rendered.hasSuffix("\r\n--\(boundary)--\r\n"))
        #expect(message.rendered() == message.rendered(), "rendering is deterministic")
    }

    @Test func validateRequiresRecipients() throws {
        var message = try Self.message()
        message.to = []
        #expect(throws: MailError.invalidAddress("message has no recipients")) { try message.validate() }
    }

    @Test func dotStuffingDoublesLeadingDots() {
        let stuffed = SMTPTransport.dotStuffed(Array("a\r\n.b\r\n..c\r\n.\r\n".utf8))
        #expect(String(decoding: stuffed, as: UTF8.self) == "a\r\n..b\r\n...c\r\n..\r\n.\r\n")
        let leading = SMTPTransport.dotStuffed(Array(".x".utf8))
        #expect(String(decoding: leading, as: UTF8.self) == "..x\r\n.\r\n")
    }
}
