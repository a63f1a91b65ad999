// Threads grouped while a mailbox streams past: each message joins the open group that holds a
// Message-ID it names (its own, In-Reply-To, References; and, as `ThreadSet` merges them, the
// unthreaded patches of one series and the revisions of a series), and a group is handed back
// ("closed") once the reading is a window past its last message. Memory holds the open groups,
// not the input. A message of a closed group starts a continuation with a note; one group's
// messages and bytes are bounded, with a note when cut.
import Foundation

/// How far a group stays open, and what one group may hold.
public struct ThreadWindowOptions: Sendable, Equatable {
    /// A group closes once this many messages were read after its last one (0: no bound in messages).
    public var messages: Int = 4096
    /// … or once this many bytes were read after its last one (0: no bound in bytes).
    public var bytes: Int = 32 << 20
    /// The most messages one group keeps; later ones are left out with a note.
    public var maxGroupMessages: Int = 20_000
    /// The most bytes (of decoded text) one group keeps; later messages are left out with a note.
    public var maxGroupBytes: Int = 64 << 20
    /// Also join messages with the same subject title (a reply looks its patch up by title when
    /// its thread has none: `ReviewParser.originalMessage`).
    public var linkSubjects = false
    /// Drop a copy of a message of a closed group (same Message-ID), as `ThreadSet` drops a
    /// duplicate; off: the copy starts a continuation.
    public var dropDuplicates = true
    public init() {}
    /// No window: nothing closes before the end of the input (whole-file reading).
    public static var unbounded: ThreadWindowOptions {
        var o = ThreadWindowOptions()
        o.messages = 0; o.bytes = 0
        return o
    }
    public var isUnbounded: Bool { messages <= 0 && bytes <= 0 }
}

/// Messages of one or more threads that are reviewed together, in input order.
public struct ThreadGroup: Sendable {
    public var messages: [Message]
    /// The input index of the group's first message.
    public var firstIndex: Int
    /// Notes on the group, each with the input index of the message it concerns: a continuation of
    /// a group closed earlier, messages left out by the per-group bounds.
    public var notes: [(index: Int, text: String)]
    /// The group continues one closed earlier (a message arrived after the window).
    public var isContinuation: Bool
    public init(messages: [Message], firstIndex: Int, notes: [(index: Int, text: String)] = [], isContinuation: Bool = false) {
        self.messages = messages; self.firstIndex = firstIndex; self.notes = notes; self.isContinuation = isContinuation
    }

    /// The input index of the group's first message that may be a patch of a series.
    public var firstPatchIndex: Int? { messages.first(where: ThreadWindow.maybePatch)?.index }

    /// Several groups as one (messages merged in input order): what the end of a read hands over.
    public static func combined(_ groups: [ThreadGroup]) -> ThreadGroup? {
        guard var all = groups.first else { return nil }
        guard groups.count > 1 else { return all }
        var messages: [Message] = []
        messages.reserveCapacity(groups.reduce(0) { $0 + $1.messages.count })
        for g in groups { messages += g.messages }
        messages.sort { $0.index < $1.index }
        all.messages = messages
        all.firstIndex = groups.map(\.firstIndex).min() ?? all.firstIndex
        all.notes = groups.flatMap(\.notes).sorted { $0.index < $1.index }
        all.isContinuation = groups.contains(where: \.isContinuation)
        return all
    }
}

/// Groups a stream of messages into threads: `add` each message in input order; it returns the
/// groups that the window closed; `finish` returns the rest.
public struct ThreadWindow {
    public let options: ThreadWindowOptions

    struct Group {
        var messages: [Message] = []
        /// Hashes of every Message-ID the group names, and which of them are its messages' own.
        var ids: [UInt64] = []
        var ownIDs: [UInt64] = []
        var linkKeys: [String] = []
        var firstIndex: Int
        /// Smallest input index of a message that may be a patch of a series.
        var firstPatchIndex: Int?
        var last: Int = 0
        var lastBytes: Int = 0
        var bytes: Int = 0
        var dropped = 0
        var droppedBytes = 0
        var firstDropped: Int?
        var notes: [(index: Int, text: String)] = []
        var isContinuation = false
        var name: String
    }

    struct Closed { var last: Int32; var isMessage: Bool }

    var groups: [Int: Group] = [:]
    var nextGroup = 0
    var openIDs: [UInt64: Int] = [:]
    var closedIDs: [UInt64: Closed] = [:]
    /// Link key → open groups and the dates of their messages with that key.
    var links: [String: [(group: Int, date: Double?)]] = [:]
    /// Activity in reading order: (position, group); stale entries are skipped.
    var activity: [(position: Int, group: Int)] = []
    var activityHead = 0
    var position = 0
    var bytePosition = 0
    /// Messages dropped as copies of a message of a closed group (same Message-ID).
    public private(set) var duplicatesOfClosed = 0
    /// Groups closed so far.
    public private(set) var closedCount = 0

    public init(options: ThreadWindowOptions = ThreadWindowOptions()) { self.options = options }

    /// Open groups.
    public var openCount: Int { groups.count }

    /// Open groups by first index and by first patch index (lazy: an entry whose group closed or
    /// changed is skipped when it comes up).
    var byFirst = MinHeap()
    var byFirstPatch = MinHeap()

    /// The smallest input index of a message in an open group (nil when none is open).
    public mutating func lowestOpenIndex() -> Int? {
        while let (v, g) = byFirst.peek() {
            if groups[g]?.firstIndex == v { return v }
            byFirst.pop()
        }
        return nil
    }

    /// The smallest input index of a possible series patch in an open group: a series starting
    /// before it cannot gain an earlier member any more.
    public mutating func lowestOpenPatchIndex() -> Int? {
        while let (v, g) = byFirstPatch.peek() {
            if groups[g]?.firstPatchIndex == v { return v }
            byFirstPatch.pop()
        }
        return nil
    }

    /// The size a message counts for: its decoded text, headers and attachments.
    public static func size(_ m: Message) -> Int {
        var n = m.body.utf8.count + 64
        for h in m.headers { n += h.name.utf8.count + h.value.utf8.count + 4 }
        for a in m.patchAttachments { n += a.text.utf8.count }
        return n
    }

    /// FNV-1a, 64 bits: the same on every run (Swift's `Hasher` is seeded per process).
    static func hash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }

    /// Whether `ThreadSet` could make the message a patch of a series.
    static func maybePatch(_ m: Message) -> Bool {
        let s = m.subjectInfo
        return !s.isReply && (s.isPatch || (!s.isPullRequest && m.holdsDiff))
    }

    /// Keys that join groups beyond the Message-IDs, each with whether dates must be within an hour.
    func linkKeys(_ m: Message, maybePatch: Bool) -> [(key: String, near: Bool)] {
        var keys: [(String, Bool)] = []
        let s = m.subjectInfo
        let author = m.from?.email.lowercased() ?? ""
        if maybePatch {
            // Patches of one series sent without threading (ThreadSet.mergeUnthreaded).
            if let total = s.total, total > 1 { keys.append(("s\u{0}\(author)\u{0}\(s.version)\u{0}\(total)", true)) }
            // Revisions of a series: same author and title (ThreadSet.revisions).
            if !s.title.isEmpty { keys.append(("r\u{0}\(author)\u{0}\(s.title.lowercased())", false)) }
        }
        if options.linkSubjects, !s.title.isEmpty { keys.append(("t\u{0}\(s.title)", false)) }
        return keys
    }

    /// Adds the next message of the input; returns the groups the window closes. `size`: what it
    /// counts for, when not `size(message)` (a caller keeping more of a message than another
    /// still closes the same groups).
    public mutating func add(_ message: Message, size: Int? = nil) -> [ThreadGroup] {
        defer { position += 1 }
        let size = size ?? Self.size(message)
        bytePosition += size
        let ownID = message.messageID ?? "no-message-id-\(message.index)@lkml-review.invalid"
        var names = [ownID] + message.references
        if let irt = message.inReplyTo { names.append(irt) }
        let hashes = names.map(Self.hash)
        let own = hashes[0]
        // A copy of a message already reviewed: dropped, as ThreadSet drops a duplicate.
        if options.dropDuplicates, message.messageID != nil, openIDs[own] == nil, closedIDs[own]?.isMessage == true {
            duplicatesOfClosed += 1
            return closeDue()
        }
        let patch = Self.maybePatch(message)
        let keys = linkKeys(message, maybePatch: patch)
        let date = message.date?.timeIntervalSince1970
        var targets = Set<Int>()
        for h in hashes { if let g = openIDs[h] { targets.insert(g) } }
        for (key, near) in keys {
            for e in links[key] ?? [] {
                if near {
                    guard let d = date, let ed = e.date, abs(d - ed) <= 3600 else { continue }
                }
                targets.insert(e.group)
            }
        }
        var g: Int
        if targets.isEmpty {
            g = nextGroup
            nextGroup += 1
            var group = Group(firstIndex: message.index, name: "<\(ownID)>")
            if let c = hashes.compactMap({ closedIDs[$0] }).first {
                group.isContinuation = true
                let gap = position - Int(c.last)
                group.notes.append((message.index, "<\(ownID)> \"\(message.subject)\" continues a thread reviewed above: it comes "
                                    + "\(gap) messages after that thread's last one, beyond the thread window; it is reviewed on its own"))
            }
            groups[g] = group
        } else {
            let sorted = targets.sorted()
            g = sorted[0]
            for other in sorted.dropFirst() { merge(other, into: g) }
        }
        var group = groups[g]!
        let before = targets.count == 1 ? (group.firstIndex, group.firstPatchIndex) : nil
        if group.messages.count >= options.maxGroupMessages || group.bytes + size > options.maxGroupBytes {
            group.dropped += 1
            group.droppedBytes += size
            if group.firstDropped == nil { group.firstDropped = message.index }
        } else {
            group.messages.append(message)
            group.bytes += size
            if patch { group.firstPatchIndex = min(group.firstPatchIndex ?? message.index, message.index) }
        }
        for (i, h) in hashes.enumerated() where openIDs[h] != g {
            openIDs[h] = g
            group.ids.append(h)
            if i == 0 { group.ownIDs.append(h) }
        }
        if openIDs[own] == g, !group.ownIDs.contains(own) { group.ownIDs.append(own) }
        for (key, _) in keys {
            links[key, default: []].append((g, date))
            if !group.linkKeys.contains(key) { group.linkKeys.append(key) }
        }
        group.last = position
        group.lastBytes = bytePosition
        groups[g] = group
        // A new or merged group, or a new first patch: the heaps learn the values.
        if before?.0 != group.firstIndex { byFirst.push(group.firstIndex, g) }
        if let p = group.firstPatchIndex, before == nil || before?.1 != p { byFirstPatch.push(p, g) }
        activity.append((position, g))
        return closeDue()
    }

    /// Moves group `from` into group `into` (messages kept in input order).
    mutating func merge(_ from: Int, into: Int) {
        guard let a = groups.removeValue(forKey: from), var b = groups[into] else { return }
        var merged: [Message] = []
        merged.reserveCapacity(a.messages.count + b.messages.count)
        var i = 0, j = 0
        while i < a.messages.count || j < b.messages.count {
            if j >= b.messages.count || (i < a.messages.count && a.messages[i].index < b.messages[j].index) {
                merged.append(a.messages[i]); i += 1
            } else {
                merged.append(b.messages[j]); j += 1
            }
        }
        b.messages = merged
        for h in a.ids { openIDs[h] = into }
        b.ids += a.ids
        b.ownIDs += a.ownIDs
        for key in a.linkKeys {
            if var list = links[key] {
                for k in list.indices where list[k].group == from { list[k].group = into }
                links[key] = list
            }
            if !b.linkKeys.contains(key) { b.linkKeys.append(key) }
        }
        b.firstIndex = min(a.firstIndex, b.firstIndex)
        if let p = a.firstPatchIndex { b.firstPatchIndex = min(b.firstPatchIndex ?? p, p) }
        b.last = max(a.last, b.last)
        b.lastBytes = max(a.lastBytes, b.lastBytes)
        b.bytes += a.bytes
        b.dropped += a.dropped
        b.droppedBytes += a.droppedBytes
        if let d = a.firstDropped { b.firstDropped = min(b.firstDropped ?? d, d) }
        b.notes += a.notes
        b.isContinuation = b.isContinuation || a.isContinuation
        if a.firstIndex < b.firstIndex || (a.firstIndex == b.firstIndex && a.name < b.name) { b.name = a.name }
        groups[into] = b
    }

    func isDue(_ g: Group) -> Bool {
        if options.messages > 0 && position - g.last >= options.messages { return true }
        if options.bytes > 0 && bytePosition - g.lastBytes > options.bytes { return true }
        return false
    }

    mutating func closeDue() -> [ThreadGroup] {
        guard !options.isUnbounded else { return [] }
        var out: [ThreadGroup] = []
        while activityHead < activity.count {
            let (pos, g) = activity[activityHead]
            guard let group = groups[g], group.last == pos else { activityHead += 1; continue }
            guard isDue(group) else { break }
            activityHead += 1
            out.append(close(g))
        }
        if activityHead > 4096 && activityHead * 2 > activity.count {
            activity.removeFirst(activityHead)
            activityHead = 0
        }
        return out
    }

    mutating func close(_ g: Int) -> ThreadGroup {
        let group = groups.removeValue(forKey: g)!
        closedCount += 1
        let own = Set(group.ownIDs)
        for h in group.ids {
            openIDs.removeValue(forKey: h)
            let isMessage = own.contains(h) || closedIDs[h]?.isMessage == true
            closedIDs[h] = Closed(last: Int32(truncatingIfNeeded: group.last), isMessage: isMessage)
        }
        for key in group.linkKeys {
            guard var list = links[key] else { continue }
            list.removeAll { $0.group == g }
            links[key] = list.isEmpty ? nil : list
        }
        var notes = group.notes
        if group.dropped > 0, let first = group.firstDropped {
            notes.append((first, "the thread of \(group.name): \(group.dropped) message\(group.dropped == 1 ? "" : "s") "
                          + "(\(group.droppedBytes) bytes) left out, beyond the bound of \(options.maxGroupMessages) messages "
                          + "or \(options.maxGroupBytes) bytes for one thread (a reading limit)"))
        }
        return ThreadGroup(messages: group.messages, firstIndex: group.firstIndex, notes: notes.sorted { $0.index < $1.index },
                           isContinuation: group.isContinuation)
    }

    /// The groups still open at the end of the input, in the order of their last message.
    public mutating func finish() -> [ThreadGroup] {
        var out: [ThreadGroup] = []
        let order = groups.map { ($0.value.last, $0.key) }.sorted { $0 < $1 }
        for (_, g) in order { out.append(close(g)) }
        activity.removeAll()
        activityHead = 0
        return out
    }
}

/// A binary min-heap of (value, group) pairs.
struct MinHeap {
    private var items: [(Int, Int)] = []
    func peek() -> (Int, Int)? { items.first }
    mutating func push(_ value: Int, _ group: Int) {
        items.append((value, group))
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard items[i] < items[p] else { break }
            items.swapAt(i, p)
            i = p
        }
    }
    mutating func pop() {
        guard !items.isEmpty else { return }
        items.swapAt(0, items.count - 1)
        items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count, items[l] < items[m] { m = l }
            if r < items.count, items[r] < items[m] { m = r }
            if m == i { break }
            items.swapAt(i, m)
            i = m
        }
    }
}
