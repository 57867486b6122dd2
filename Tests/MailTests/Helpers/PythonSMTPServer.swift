import Foundation
import Testing

/// A message as the Python test server recorded it (envelope, raw bytes, and what Python's email package parsed).
struct ReceivedMessage: Decodable {
    var mailFrom: String
    var rcptTos: [String]
    var dataBase64: String
    var subject: String
    var from: String
    var to: String
    var contentType: String
    var text: String?
    var html: String?
    var defects: [String]

    /// The message bytes as received, after SMTP dot-unstuffing.
    var data: [UInt8] { Array(Data(base64Encoded: self.dataBase64) ?? Data()) }
}

/// Runs `Support/smtp_server.py` (aiosmtpd) on 127.0.0.1 with the interpreter named by `MAIL_TEST_PYTHON`.
struct PythonSMTPServer {
    enum Mode: String {
        case plain
        case starttls
        case tls
    }

    /// The interpreter from `MAIL_TEST_PYTHON`, or nil when the variable is unset or empty.
    static let python: String? = ProcessInfo.processInfo.environment["MAIL_TEST_PYTHON"].flatMap {
        $0.isEmpty ? nil : $0
    }

    /// Why the suite is skipped when no interpreter is configured.
    static let skipReason: Comment =
        "MAIL_TEST_PYTHON is not set: point it at a Python with aiosmtpd (python3 -m venv .venv && .venv/bin/pip install aiosmtpd)"

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Support/smtp_server.py")

    let process: Process
    /// Closing this ends the server (it watches its standard input), even if the signal is lost.
    let input: Pipe
    let directory: URL
    let port: Int
    /// The self-signed certificate (PEM) the server presents in `starttls` and `tls` modes.
    let certificatePath: String?

    /// Starts a server, runs `body`, and stops the server whatever happens.
    static func with(
        mode: Mode = .plain,
        credentials: (String, String)? = nil,
        _ body: (PythonSMTPServer) async throws -> Void
    ) async throws {
        let server = try await Self.start(mode: mode, credentials: credentials)
        do {
            try await body(server)
            server.stop()
        } catch {
            server.stop()
            throw error
        }
    }

    static func start(mode: Mode, credentials: (String, String)?) async throws -> PythonSMTPServer {
        guard let python = Self.python else {
            throw TestSetupError("MAIL_TEST_PYTHON is not set")
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mail-test-\(UUID().uuidString)")
        let maildir = directory.appendingPathComponent("mail")
        try FileManager.default.createDirectory(at: maildir, withIntermediateDirectories: true)
        let portFile = directory.appendingPathComponent("port")
        var arguments = [
            Self.script.path, "--maildir", maildir.path, "--port-file", portFile.path, "--mode", mode.rawValue,
        ]
        var certificatePath: String?
        if mode != .plain {
            let certificate = try TestCertificate.make(in: directory)
            arguments += ["--cert", certificate.certificatePath, "--key", certificate.keyPath]
            certificatePath = certificate.certificatePath
        }
        if let (user, password) = credentials {
            arguments += ["--auth", "\(user):\(password)"]
        }
        let log = directory.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        let input = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) {
                return PythonSMTPServer(
                    process: process,
                    input: input,
                    directory: directory,
                    port: port,
                    certificatePath: certificatePath
                )
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        Self.stop(process, input: input)
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: directory)
        throw TestSetupError("smtp_server.py did not start: \(output)")
    }

    /// The messages received so far, in arrival order.
    func messages() throws -> [ReceivedMessage] {
        let maildir = self.directory.appendingPathComponent("mail")
        let names = try FileManager.default.contentsOfDirectory(atPath: maildir.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try names.map { name in
            try decoder.decode(ReceivedMessage.self, from: Data(contentsOf: maildir.appendingPathComponent(name)))
        }
    }

    func stop() {
        Self.stop(self.process, input: self.input)
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// Closes the server's input and sends SIGTERM; SIGKILL follows if it is still running after five seconds.
    private static func stop(_ process: Process, input: Pipe) {
        try? input.fileHandleForWriting.close()
        if process.isRunning {
            process.terminate()
        }
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline {
            usleep(20_000)
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }
}

/// A failure to set up a test fixture (not a failure of the code under test).
struct TestSetupError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// A self-signed certificate for 127.0.0.1 and localhost, made with the openssl command line tool.
struct TestCertificate {
    var certificatePath: String
    var keyPath: String

    static func make(in directory: URL) throws -> TestCertificate {
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSetupError("openssl req -x509 failed with status \(process.terminationStatus)")
        }
        return TestCertificate(certificatePath: certificate, keyPath: key)
    }
}
