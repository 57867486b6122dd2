#!/usr/bin/env bash
# Fails when a target imports a module the house plan forbids it (docs/ARCHITECTURE.md, "Layers").
#   Tern (executable) -> App -> MastodonAPI, WebUI -> Processing -> Federation -> Storage -> Core
#   HTTPCommon -> Core, Hummingbird (shared by the three front doors)
# HummingbirdBcrypt is a C bcrypt with no HTTP in it: Processing may use it, the HTTP framework it may not.
set -euo pipefail
cd "$(dirname "$0")/.."

# target: forbidden modules (regular expression over the module name)
declare -A forbidden=(
    [Core]='.*'
    [HTMLSanitizer]='.*'
    [MediaProcessing]='.*'
    [TwoFactor]='Core|Storage|HTTPCommon|Federation|Processing|MastodonAPI|WebUI|App|Hummingbird|HummingbirdCore|Mustache|Mail|QRCode'
    [QRCode]='Core|Storage|HTTPCommon|Federation|Processing|MastodonAPI|WebUI|App|Hummingbird|HummingbirdCore|Mustache|Mail|TwoFactor'
    [Mail]='Core|Storage|HTTPCommon|Federation|Processing|MastodonAPI|WebUI|App|Hummingbird|HummingbirdCore|Mustache'
    [Storage]='Hummingbird|HummingbirdCore|HTTPCommon|Federation|Processing|MastodonAPI|WebUI|App|Mustache'
    [HTTPCommon]='Storage|Federation|Processing|MastodonAPI|WebUI|App|SQLKit|SQLiteKit|PostgresKit'
    [Federation]='Processing|MastodonAPI|WebUI|App'
    [Processing]='Hummingbird|HummingbirdCore|HummingbirdTesting|HTTPCommon|MastodonAPI|WebUI|App|SQLKit|SQLiteKit|PostgresKit'
    [MastodonAPI]='Storage|Federation|WebUI|App|SQLKit|SQLiteKit|PostgresKit'
    [WebUI]='Storage|Federation|MastodonAPI|App|SQLKit|SQLiteKit|PostgresKit'
    [App]='Tern'
)
# Core may import only these; HTMLSanitizer these and its C parser.
core_allowed='Foundation|FoundationEssentials|Synchronization|Dispatch'
sanitizer_allowed='Foundation|FoundationEssentials|Synchronization|Dispatch|Glibc|CGumbo'
media_allowed='Foundation|FoundationEssentials|Synchronization|Dispatch|Glibc|CVipsShim'

status=0
for target in "${!forbidden[@]}"; do
    dir="Sources/$target"
    [[ -d "$dir" ]] || continue
    while IFS= read -r line; do
        file=${line%%:*}
        rest=${line#*:}
        lineno=${rest%%:*}
        text=${rest#*:}
        module=$(sed -E 's/^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*((public|package|internal|private|fileprivate)[[:space:]]+)?import[[:space:]]+((struct|class|enum|protocol|func|var|let|typealias)[[:space:]]+)?([A-Za-z0-9_]+).*/\6/' <<<"$text")
        if [[ "$target" == Core ]]; then
            if ! [[ "$module" =~ ^($core_allowed)$ ]]; then
                echo "layer violation: $file:$lineno: Core may import Foundation only, not $module"
                status=1
            fi
        elif [[ "$target" == HTMLSanitizer ]]; then
            if ! [[ "$module" =~ ^($sanitizer_allowed)$ ]]; then
                echo "layer violation: $file:$lineno: HTMLSanitizer may import Foundation and CGumbo only, not $module"
                status=1
            fi
        elif [[ "$target" == MediaProcessing ]]; then
            if ! [[ "$module" =~ ^($media_allowed)$ ]]; then
                echo "layer violation: $file:$lineno: MediaProcessing may import Foundation and CVipsShim only, not $module"
                status=1
            fi
        elif [[ "$module" =~ ^(${forbidden[$target]})$ ]]; then
            echo "layer violation: $file:$lineno: $target must not import $module"
            status=1
        fi
    done < <(grep -rnE '^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*((public|package|internal|private|fileprivate)[[:space:]]+)?import[[:space:]]' "$dir" --include='*.swift' || true)
done

# SQL lives in Storage: no raw SQL strings in other targets.
if grep -rnE '"(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM) ' Sources --include='*.swift' | grep -v '^Sources/Storage/'; then
    echo "layer violation: SQL outside Storage (above)"
    status=1
fi

if [[ $status == 0 ]]; then echo "layers: ok"; fi
exit $status
