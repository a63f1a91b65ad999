// The pieces of the revision follower that read words and sketches (AuthorReply, Sketch,
// Changelog.messageSection, CommitMessages.quotedStatus), each with cases that must and must not
// count, the sentences taken from real replies on the fpga and sparse lists.
import Testing
import Patch
@testable import Report

@Suite struct AuthorReplyTests {
    @Test(arguments: [
        "Sure, I'll do that in the next version.",
        "Yes - I'll add a comment explaining how the errors are being prioritized.",
        "Thanks for your advise, this version looks more intuitive. I'll apply it in next version.",
        "Yes, I agree, I will send a new one.",
        "Good catch, will fix.",
        "Agreed.",
        "Thanks, will fix.",
        "Right, will fix",
        "Good point, will change it.",
        "I'll fix it and keep your R-b.",
    ]) func agreeing(_ reply: String) {
        #expect(AuthorReply.agrees(reply))
    }

    @Test(arguments: [
        "If I add such annotation to release_sock(), I'll get several sparse warnings for context imbalance.",
        "Sure, thanks for the comments. Then I don't have any other idea to move code to drivers/perf/.",
        "Thanks, I'll quickly send v6 to fix a minor typo in the kernel-doc.",
        "I will not change this, the name is used by the firmware.",
        "Would you like below:",
        "I'll keep it as is.",
        "Will double-check and come back.",
        "I agree the locking is\nbroken, but I'd rather not change it in this series.",
    ]) func notAgreeing(_ reply: String) {
        #expect(!AuthorReply.agrees(reply))
    }

    @Test func closingRemarkAgreesToAll() {
        #expect(AuthorReply.agreesToAll("Thanks again for these valuable comments, will try to fix all of them in\nthe next version. : )"))
        #expect(!AuthorReply.agreesToAll("Thanks for all of them, but I don't think it needs a fix."))
    }

    @Test func excerptSkipsGreetings() {
        #expect(AuthorReply.firstParagraph("Hi Will\n\nThanks a lot for the review! :)\n\nThe PMU is renamed.") == "The PMU is renamed.")
        #expect(AuthorReply.firstParagraph("Hi Greg,\nThe file stays where it is.") == "The file stays where it is.")
        #expect(AuthorReply.firstParagraph("Hi,\n\nThank you for the feedback!\n\nWell, it has mutex semantics.") == "Well, it has mutex semantics.")
        #expect(AuthorReply.firstParagraph("Thanks.") == "Thanks.")
        // A thank-you that agrees says something.
        #expect(AuthorReply.firstParagraph("Thanks, I'll fix it in v2.\n\nBTW, the other one is fine.") == "Thanks, I'll fix it in v2.")
    }

    @Test func agreementInTheSentencesNamingTheRemark() {
        let reply = "I'll fix foo_x in v2. bar_y stays as it is, it is used by the firmware."
        #expect(AuthorReply.agrees(reply, naming: "foo_x"))
        #expect(!AuthorReply.agrees(reply, naming: "bar_y"))
    }
}

@Suite struct RevisionWordsTests {
    private func patch(_ added: [String]) -> Patch {
        let lines = added.enumerated().map { HunkLine(kind: .added, text: $0.element, oldLine: nil, newLine: 10 + $0.offset) }
        let hunk = Hunk(oldStart: 10, oldCount: 0, newStart: 10, newCount: lines.count, section: "static int probe(struct device *dev)", lines: lines)
        return Patch(files: [FilePatch(oldPath: "drivers/ptp/ptp_dfl_tod.c", newPath: "drivers/ptp/ptp_dfl_tod.c", hunks: [hunk])])
    }

    @Test func aSketchTakenUp() {
        let remark = "\tret = PTR_ERR_OR_ZERO(...);\n\tif (ret)\n\t\treturn ...\n\n?"
        let v1 = patch(["\tif (IS_ERR(dt->ptp_clock))", "\t\treturn PTR_ERR(dt->ptp_clock);"])
        let v2 = patch(["\tret = PTR_ERR_OR_ZERO(dt->ptp_clock);", "\tif (ret)", "\t\treturn dev_err_probe(dev, ret, \"Unable to register\");"])
        #expect(Sketch.adoptedCall(in: remark, old: v1, new: v2) == "PTR_ERR_OR_ZERO")
        // Not taken up, and prose that names a call is no sketch.
        #expect(Sketch.adoptedCall(in: remark, old: v1, new: v1) == nil)
        #expect(Sketch.adoptedCall(in: "Please use PTR_ERR_OR_ZERO() here.", old: v1, new: v2) == nil)
    }

    @Test func aChangelogInTheCommitMessage() {
        let message = """
            The static checker is fooled by the non-static locking scheme
            implemented by the mentioned helpers.

            v1 -> v2:
             - add __releases() annotation to unlock_sock_fast()

            Signed-off-by: Paolo Abeni <pabeni@redhat.com>
            """
        #expect(Changelog.messageSection(message) == ["v1 -> v2:", "- add __releases() annotation to unlock_sock_fast()"])
        // A sentence that starts like a heading but names no version, or is no heading of its
        // own, is the message itself.
        #expect(Changelog.messageSection("Changes the driver to poll.\n\nSigned-off-by: A <a@b>").isEmpty)
        #expect(Changelog.messageSection("Changes in v5.10 made the lock unnecessary.\nDrop foo_lock().\n\nSigned-off-by: A <a@b>").isEmpty)
    }

    private func messages(old: String, new: String) -> CommitMessages {
        CommitMessages(oldTitle: "t", newTitle: "t", oldText: old, newText: new, oldTrailers: [], newTrailers: [], oldNotes: "", newNotes: "")
    }

    @Test func quotedMessageLines() throws {
        let v1 = "Clang warns:\n\nstratix10-soc.c:402:9: note: initialize the variable 'ret' to silence this warning\n        int ret;\n\nret is only assigned in an error path now so just return 0 directly.\n\nSigned-off-by: N <n@k>"
        let v2 = "Clang warns:\n\nret is only assigned in an error path now so just return 0 directly.\n\nReviewed-by: T <t@r>\nSigned-off-by: N <n@k>"
        let quote = [QuotedText(depth: 1, author: "N", text: "stratix10-soc.c:402:9: note: initialize the variable 'ret' to silence this warning\n        int ret;")]
        let changed = try #require(messages(old: v1, new: v2).quotedStatus(quote, nextVersion: 2))
        #expect(changed.0 == .addressed && changed.1 == "commit-message-changed")
        let same = try #require(messages(old: v1, new: v1 + "\nReviewed-by: T <t@r>").quotedStatus(quote, nextVersion: 2))
        #expect(same.0 == .notAddressed)
        // A quote that is not the message (a reply's prose), or only short lines of it: no verdict.
        #expect(messages(old: v1, new: v2).quotedStatus([QuotedText(depth: 1, author: "X", text: "I think so too.")], nextVersion: 2) == nil)
        #expect(messages(old: v1, new: v2).quotedStatus([QuotedText(depth: 1, author: "N", text: "Clang warns:")], nextVersion: 2) == nil)
    }

    /// A vN+1 that only collected a trailer has the same message: the author's "will fix" with
    /// that vN+1 is no change made (the revision follower's `patchChanged` reads this).
    @Test func aTrailerOnlyChangeIsNoChangedMessage() {
        let v1 = "foo: fix the leak\n\nPut the node on the error path.\n\nSigned-off-by: A <a@b>"
        #expect(!messages(old: v1, new: v1 + "\nReviewed-by: R <r@s>").messageChanged)
        #expect(messages(old: v1, new: v1.replacingOccurrences(of: "error path", with: "error paths")).messageChanged)
        // The same trailers in another order ("please re-order the tags") is a change.
        let tags = "foo: fix the leak\n\nPut the node.\n\nSigned-off-by: A <a@b>\nReported-by: C <c@d>"
        #expect(messages(old: tags, new: "foo: fix the leak\n\nPut the node.\n\nReported-by: C <c@d>\nSigned-off-by: A <a@b>").messageChanged)
        var retitled = messages(old: v1, new: v1)
        retitled.newTitle = "foo: fix the node leak"
        #expect(retitled.messageChanged)
    }
}
