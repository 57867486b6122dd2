/// Comparisons whose running time doesn't depend on where two secrets differ.
enum ConstantTime {
    /// Whether `lhs` and `rhs` hold the same bytes, looking at every byte; only the lengths may leak through timing.
    static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else {
            return false
        }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }
}
