// Call Directory extension that loads a dataset from `amo-callerid build --platform ios`
// (byte layouts: the README, "Dataset format"). The app copies the dataset directory into the App Group
// container as "callerid/" and calls CXCallDirectoryManager.reloadExtension; when that succeeds it
// sets "loadedBuildId" to "pendingBuildId" (never before: a failed load must not advance the base).
//
// Full load when iOS does not offer an incremental request, or when the delta's base is not the
// build loaded last; otherwise only the delta: every removal first, then ascending additions.
// Files are memory-mapped and streamed in batches inside autorelease pools, so memory stays flat
// however many numbers there are.
import CallKit
import CryptoKit
import Foundation

final class CallDirectoryHandler: CXCallDirectoryProvider {
    static let appGroup = "group.com.example.crm-callerid"
    static let batchSize = 10_000

    enum LoadError: Error { case noContainer, badFile(String), checksum(String) }

    struct Manifest: Decodable {
        struct File: Decodable { let path: String; let sha256: String; let base: String? }
        let buildId: String
        let baseBuildId: String?
        let files: [File]
    }

    override func beginRequest(with context: CXCallDirectoryExtensionContext) {
        do {
            guard let container = FileManager.default.containerURL(forSecurityApplicationGroupIdentifier: Self.appGroup),
                  let defaults = UserDefaults(suiteName: Self.appGroup) else { throw LoadError.noContainer }
            let dir = container.appendingPathComponent("callerid", isDirectory: true)
            let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: dir.appendingPathComponent("manifest.json")))
            let loaded = defaults.string(forKey: "loadedBuildId")
            let delta = manifest.files.first { $0.path == "ios/delta.bin" }

            if context.isIncremental, let delta, let base = delta.base, base == loaded {
                try applyDelta(try mapped(delta, in: dir), to: context)
            } else {
                // A full load replaces everything; in an incremental request we must clear first.
                if context.isIncremental { context.removeAllIdentificationEntries() }
                guard let full = manifest.files.first(where: { $0.path == "ios/callerid.bin" }) else { throw LoadError.badFile("ios/callerid.bin") }
                try loadFull(try mapped(full, in: dir), into: context)
            }
            defaults.set(manifest.buildId, forKey: "pendingBuildId")
            context.completeRequest()
        } catch {
            context.cancelRequest(withError: error)
        }
    }

    /// The file, memory-mapped, after checking it against the manifest's sha256.
    private func mapped(_ file: Manifest.File, in dir: URL) throws -> Data {
        let data = try Data(contentsOf: dir.appendingPathComponent(file.path), options: .alwaysMapped)
        let hex = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        guard hex == file.sha256 else { throw LoadError.checksum(file.path) }
        return data
    }

    // CRMI: "CRMI", u32 version, u64 count, u64 labelsOff, u64 reserved; i64[count] numbers;
    // u32[count] label index; u32 labelCount, then (u16 byteLen, UTF-8) per label. Little-endian.
    private func loadFull(_ data: Data, into context: CXCallDirectoryExtensionContext) throws {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard raw.count >= 32, String(decoding: raw[0..<4], as: UTF8.self) == "CRMI", u32(raw, 4) == 1 else { throw LoadError.badFile("ios/callerid.bin") }
            let count = Int(u64(raw, 8))
            let labels = try labelOffsets(raw, at: Int(u64(raw, 16)))
            try stream(count: count) { i in
                let number = i64(raw, 32 + i * 8)
                let label = try labelText(raw, labels, index: Int(u32(raw, 32 + count * 8 + i * 4)))
                context.addIdentificationEntry(withNextSequentialPhoneNumber: number, label: label)
            }
        }
    }

    // CRMD: "CRMD", u32 version, u64 removeCount, u64 addCount, u64 labelsOff, u64 reserved;
    // i64[removeCount]; i64[addCount]; u32[addCount] label index; label table as in CRMI.
    private func applyDelta(_ data: Data, to context: CXCallDirectoryExtensionContext) throws {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard raw.count >= 40, String(decoding: raw[0..<4], as: UTF8.self) == "CRMD", u32(raw, 4) == 1 else { throw LoadError.badFile("ios/delta.bin") }
            let removeCount = Int(u64(raw, 8)), addCount = Int(u64(raw, 16))
            let labels = try labelOffsets(raw, at: Int(u64(raw, 24)))
            try stream(count: removeCount) { i in
                context.removeIdentificationEntry(withPhoneNumber: i64(raw, 40 + i * 8))
            }
            let adds = 40 + removeCount * 8, idx = adds + addCount * 8
            try stream(count: addCount) { i in
                let label = try labelText(raw, labels, index: Int(u32(raw, idx + i * 4)))
                context.addIdentificationEntry(withNextSequentialPhoneNumber: i64(raw, adds + i * 8), label: label)
            }
        }
    }

    /// Runs `body` for 0..<count in batches, each inside its own autorelease pool.
    private func stream(count: Int, _ body: (Int) throws -> Void) throws {
        var start = 0
        while start < count {
            let end = min(start + Self.batchSize, count)
            try autoreleasepool { for i in start..<end { try body(i) } }
            start = end
        }
    }

    /// Byte offset of every label in the table (labels are decoded one at a time, when added).
    private func labelOffsets(_ raw: UnsafeRawBufferPointer, at offset: Int) throws -> [Int] {
        guard offset + 4 <= raw.count else { throw LoadError.badFile("label table") }
        var offsets = [Int]()
        offsets.reserveCapacity(Int(u32(raw, offset)))
        var p = offset + 4
        for _ in 0..<Int(u32(raw, offset)) {
            guard p + 2 <= raw.count else { throw LoadError.badFile("label table") }
            offsets.append(p)
            p += 2 + Int(u16(raw, p))
        }
        guard p == raw.count else { throw LoadError.badFile("label table") }
        return offsets
    }

    private func labelText(_ raw: UnsafeRawBufferPointer, _ offsets: [Int], index: Int) throws -> String {
        guard index < offsets.count else { throw LoadError.badFile("label index") }
        let p = offsets[index]
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[(p + 2)..<(p + 2 + Int(u16(raw, p)))]), as: UTF8.self)
    }

    private func u16(_ r: UnsafeRawBufferPointer, _ o: Int) -> UInt16 { UInt16(littleEndian: r.loadUnaligned(fromByteOffset: o, as: UInt16.self)) }
    private func u32(_ r: UnsafeRawBufferPointer, _ o: Int) -> UInt32 { UInt32(littleEndian: r.loadUnaligned(fromByteOffset: o, as: UInt32.self)) }
    private func u64(_ r: UnsafeRawBufferPointer, _ o: Int) -> UInt64 { UInt64(littleEndian: r.loadUnaligned(fromByteOffset: o, as: UInt64.self)) }
    private func i64(_ r: UnsafeRawBufferPointer, _ o: Int) -> Int64 { Int64(littleEndian: r.loadUnaligned(fromByteOffset: o, as: Int64.self)) }
}
