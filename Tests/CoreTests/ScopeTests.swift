import Core
import Foundation
import Testing

@Suite struct ScopeTests {
    @Test("a top-level scope grants its granular scopes, not the other way round")
    func topLevelGrantsGranular() throws {
        let read = try #require(ScopeSet(parsing: "read"))
        #expect(read.allows("read:accounts"))
        #expect(!read.allows("write:accounts"))
        let granular = try #require(ScopeSet(parsing: "read:accounts"))
        #expect(granular.allows("read:accounts"))
        #expect(!granular.allows("read"))
        #expect(!granular.allows("read:statuses"))
        // A scope grants what lies below it after a colon, not what merely starts with its name.
        #expect(!read.allows("readers") && !read.allows("rea") && !read.allows(""))
        let admin = try #require(ScopeSet(parsing: "admin:read"))
        #expect(admin.allows("admin:read:accounts") && !admin.allows("admin:write:accounts"))
        #expect(!admin.allows("read:accounts"))
    }

    @Test("a stored scope text gives the set it was written from, and none when it does not parse")
    func stored() throws {
        #expect(ScopeSet.stored("read write:statuses") == ScopeSet(parsing: "read write:statuses"))
        #expect(ScopeSet.stored("read write:statuses").allows("write:statuses"))
        // Asked again, from the kept sets.
        #expect(ScopeSet.stored("read write:statuses").scopes == ["read", "write:statuses"])
        #expect(ScopeSet.stored("read write:bogus").isEmpty)
        #expect(ScopeSet.stored("").isEmpty)
    }

    @Test("follow is the legacy alias of the block, follow and mute scopes")
    func followAlias() throws {
        let follow = try #require(ScopeSet(parsing: "follow"))
        #expect(follow.allows("write:follows") && follow.allows("read:blocks") && follow.allows("write:mutes"))
        #expect(!follow.allows("write:statuses"))
    }

    @Test("unknown scopes are refused; separators and duplicates are tolerated")
    func parsing() throws {
        #expect(ScopeSet(parsing: "read write:bogus") == nil)
        #expect(ScopeSet(parsing: "admin") == nil)
        let set = try #require(ScopeSet(parsing: "read+write  read"))
        #expect(set.scopes == ["read", "write"])
        #expect(
            try #require(ScopeSet(parsing: "read write")).covers(try #require(ScopeSet(parsing: "read:accounts write")))
        )
        #expect(!(try #require(ScopeSet(parsing: "read"))).covers(try #require(ScopeSet(parsing: "write"))))
    }
}

@Suite struct IDTests {
    @Test("ids are strictly increasing and ordered by time, even within one millisecond")
    func increasing() {
        let generator = IDGenerator(node: 3, clock: Clock { Date(timeIntervalSince1970: 1_800_000_000) })
        var previous: Int64 = 0
        for _ in 0..<5000 {
            let id = generator.next()
            #expect(id > previous)
            previous = id
        }
        #expect(IDGenerator.lowerBound(for: Date(timeIntervalSince1970: 1_800_000_000)) < previous)
    }

    @Test("typed ids parse only positive decimal strings")
    func parsing() {
        #expect(EntityID<Account>("123")?.rawValue == 123)
        #expect(EntityID<Account>("-1") == nil)
        #expect(EntityID<Account>("abc") == nil)
        #expect(EntityID<Account>("") == nil)
        #expect(EntityID<Account>("99999999999999999999") == nil)
    }

    @Test("validation of usernames and emails")
    func validation() {
        #expect(Validation.isValidLocalUsername("alice_01"))
        #expect(!Validation.isValidLocalUsername("al ice"))
        #expect(!Validation.isValidLocalUsername("alïce"))
        #expect(!Validation.isValidLocalUsername(String(repeating: "a", count: 31)))
        #expect(Validation.isPlausibleEmail("a@example.org"))
        #expect(!Validation.isPlausibleEmail("a@b"))
        #expect(!Validation.isPlausibleEmail("a b@example.org"))
        #expect(!Validation.isPlausibleEmail("@example.org"))
    }
}
