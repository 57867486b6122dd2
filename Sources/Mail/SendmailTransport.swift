import Foundation

/// Hands each message to a local sendmail-compatible binary (sendmail, msmtp, Postfix, exim…).
///
/// Standard input and standard error are unlinked temporary files rather than pipes, so neither a full pipe, an early
/// exit, nor a forked helper that keeps stderr open can block or kill this process. The wait for the exit runs on a
/// Dispatch thread, never on the Swift concurrency pool or an event loop, and is bounded by `timeout`, after which
/// the binary's whole process group is terminated.
package struct SendmailTransport: MailTransport {
    /// Path of the binary.
    package let path: String
    /// Its arguments; the default `-t -i` reads recipients from the headers and does not treat `.` lines specially.
    package let arguments: [String]
    /// How long the binary may run before it is terminated and the send fails as transient.
    package let timeout: Duration

    /// Creates a transport for the given binary.
    package init(
        path: String = "/usr/sbin/sendmail",
        arguments: [String] = ["-t", "-i"],
        timeout: Duration = .seconds(60)
    ) {
        self.path = path
        self.arguments = arguments
        self.timeout = timeout
    }

    /// Pipes `message.rendered()` to the binary.
    ///
    /// A non-zero exit, a failure to start or a timeout throws `MailError.transient`, with the first line of the
    /// binary's standard error when it wrote one.
    package func send(_ message: MailMessage) async throws {
        try message.validate()
        let bytes = message.rendered()
        let transport = self
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result { try transport.run(input: bytes) })
            }
        }
    }

    private func run(input: [UInt8]) throws {
        let inputFile = try Self.unlinkedTemporaryFile(containing: input)
        defer { try? inputFile.close() }
        let errorFile = try Self.unlinkedTemporaryFile(containing: [])
        defer { try? errorFile.close() }
        let pid = try self.spawn(input: inputFile.fileDescriptor, error: errorFile.fileDescriptor)
        guard let status = Self.wait(for: pid, timeout: self.timeout) else {
            throw MailError.transient("\(self.path) did not finish within \(self.timeout)")
        }
        // WIFEXITED and WEXITSTATUS, which are macros in C.
        let exited = status & 0x7F == 0
        let code = exited ? (status >> 8) & 0xFF : status & 0x7F
        guard exited, code == 0 else {
            try? errorFile.seek(toOffset: 0)
            let stderr = (try? errorFile.read(upToCount: 4096)) ?? Data()
            let firstLine =
                String(decoding: stderr, as: UTF8.self)
                .split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            let reason = exited ? "exit status \(code)" : "signal \(code)"
            throw MailError.transient(firstLine.isEmpty ? "\(self.path) failed with \(reason)" : firstLine)
        }
    }

    /// Starts the binary in its own process group with default signal handling and an empty signal mask.
    ///
    /// `posix_spawn` rather than `Foundation.Process`: on Linux the latter reports an exit only once every process
    /// holding its internal socket is gone, so a helper that the binary forks (a background delivery) would delay
    /// or time out a send that in fact succeeded; it also passes on the spawning thread's blocked signals.
    private func spawn(input: Int32, error: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, error, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP)
        )

        let argv: [UnsafeMutablePointer<CChar>?] = ([self.path] + self.arguments).map { strdup($0) } + [nil]
        defer {
            for pointer in argv {
                free(pointer)
            }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, self.path, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw MailError.transient("cannot run \(self.path): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// Polls for the child's exit; on timeout sends SIGTERM, then SIGKILL, to its process group and returns nil.
    private static func wait(for pid: pid_t, timeout: Duration) -> Int32? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var status: Int32 = 0
        while clock.now < deadline {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                return status
            }
            if result == -1 && errno != EINTR {
                return nil
            }
            usleep(5_000)
        }
        kill(-pid, SIGTERM)
        let grace = clock.now + .seconds(5)
        while clock.now < grace {
            if waitpid(pid, &status, WNOHANG) == pid {
                return nil
            }
            usleep(5_000)
        }
        kill(-pid, SIGKILL)
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return nil
    }

    /// Writes `bytes` to a new mode-0600 temporary file, unlinks it at once and returns a handle at its start.
    private static func unlinkedTemporaryFile(containing bytes: [UInt8]) throws -> FileHandle {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString)").path
        let descriptor = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw MailError.transient("cannot create a temporary file for sendmail (errno \(errno))")
        }
        unlink(path)
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: bytes)
            try handle.seek(toOffset: 0)
        } catch {
            try? handle.close()
            throw MailError.transient("cannot write a temporary file for sendmail: \(error.localizedDescription)")
        }
        return handle
    }
}
