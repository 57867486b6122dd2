import Foundation

/// How deeply a JSON text nests, counted without parsing it, so that hostile bodies are refused before
/// a recursive decoder sees them.
package enum JSONNesting {
    /// The deepest nesting of arrays and objects in `data` (strings skipped); it stops counting once past `limit`.
    package static func depth(of data: Data, limit: Int = .max) -> Int {
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        for byte in data {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == 0x5C {
                    escaped = true
                } else if byte == 0x22 {
                    inString = false
                }
                continue
            }
            switch byte {
            case 0x22: inString = true
            case 0x5B, 0x7B:
                depth += 1
                if depth > deepest {
                    deepest = depth
                    if deepest > limit { return deepest }
                }
            case 0x5D, 0x7D: depth -= 1
            default: break
            }
        }
        return deepest
    }
}
