import SQLiteNIO

/// SQLite reader connections handed out one caller at a time.
///
/// Sharing a connection between concurrent callers is unsafe for freshness: a statement that starts
/// while another is still stepping on the same connection runs inside that statement's read
/// snapshot, and can miss a write committed in between (seen as a rare 404 right after a successful
/// POST). With exclusive checkout each read starts a fresh snapshot.
actor ReaderPool {
    private var idle: [SQLiteConnection]
    private var waiters: [CheckedContinuation<SQLiteConnection, Never>] = []

    init(_ connections: [SQLiteConnection]) {
        self.idle = connections
    }

    func checkout() async -> SQLiteConnection {
        if let connection = self.idle.popLast() { return connection }
        return await withCheckedContinuation { self.waiters.append($0) }
    }

    func checkin(_ connection: SQLiteConnection) {
        if self.waiters.isEmpty {
            self.idle.append(connection)
        } else {
            self.waiters.removeFirst().resume(returning: connection)
        }
    }

    /// Runs `body` with a connection of its own.
    nonisolated func with<T: Sendable>(_ body: (SQLiteConnection) async throws -> T) async throws -> T {
        let connection = await self.checkout()
        do {
            let value = try await body(connection)
            await self.checkin(connection)
            return value
        } catch {
            await self.checkin(connection)
            throw error
        }
    }
}
