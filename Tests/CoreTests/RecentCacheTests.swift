import Core
import Testing

/// `RecentCache`: the bounded two-generation map that keeps rendered JSON and decoded rows.
@Suite struct RecentCacheTests {
    final class Marker: Sendable {
        let name: String
        init(_ name: String) { self.name = name }
    }

    @Test("the cache keeps the last `capacity` stores and what was read since, and no more than two generations")
    func generations() {
        let cache = RecentCache<Marker>(capacity: 2)
        cache.store(Marker("one"), for: 1)
        cache.store(Marker("two"), for: 2)
        #expect(cache.value(for: 1)?.name == "one")
        // Full: "three" starts a new generation; 1 and 2 are still found in the previous one.
        cache.store(Marker("three"), for: 3)
        #expect(cache.count == 3)
        // Reading 1 moves it to the current generation, so it outlives 2.
        #expect(cache.value(for: 1)?.name == "one")
        cache.store(Marker("four"), for: 4)
        #expect(cache.value(for: 2) == nil)
        #expect(cache.value(for: 1)?.name == "one")
        #expect(cache.value(for: 4)?.name == "four")
        // Storing again under a kept id replaces the value without starting a generation.
        cache.store(Marker("four again"), for: 4)
        #expect(cache.value(for: 4)?.name == "four again")
        for id in 10..<50 { cache.store(Marker("\(id)"), for: Int64(id)) }
        #expect(cache.count <= 4)
        #expect(cache.value(for: 49)?.name == "49")
    }

    @Test("a kept value is used while it is current; otherwise a new one is made and kept in its place")
    func keptOrMade() {
        let cache = RecentCache<Marker>(capacity: 4)
        var made = 0
        func make(_ name: String) -> Marker {
            made += 1
            return Marker(name)
        }
        #expect(cache.value(for: 1, where: { _ in true }, else: { make("first") }).name == "first")
        #expect(cache.value(for: 1, where: { $0.name == "first" }, else: { make("second") }).name == "first")
        #expect(made == 1)
        #expect(cache.value(for: 1, where: { $0.name == "other" }, else: { make("second") }).name == "second")
        #expect(cache.value(for: 1)?.name == "second")
        #expect(made == 2)
    }
}
