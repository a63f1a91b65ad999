// Trailers: only the sender's own text, every listed key, wrapped lines repaired, other people's
// trailers marked.
import Testing
@testable import Mailbox

@Suite("Trailers")
struct TrailerTests {
    static let sender = Address(name: "Halil Pasic", email: "pasic@linux.ibm.com")

    @Test func onlyTheSendersOwnText() {
        let body = """
        On Mon, 15 Feb 2021 20:15:47 -0500
        Tony Krowiak <akrowiak@linux.ibm.com> wrote:

        > Fixes: f21916ec4826 ("s390/vfio-ap: clean up")
        > Signed-off-by: Tony Krowiak <akrowiak@linux.ibm.com>
        >> Acked-by: Somebody Else <else@example.com>
        | Reviewed-by: Piped Quote <pipe@example.com>
        With that fixed:
        Acked-by: Halil Pasic <pasic@linux.ibm.com>

        Tony, did you test this?
        -- 
        Halil
        Reviewed-by: Signature Person <sig@example.com>
        """
        let t = TrailerParser.parse(body: body, sender: Self.sender)
        #expect(t == [Trailer(key: "Acked-by", value: "Halil Pasic <pasic@linux.ibm.com>", person: Self.sender, isOnBehalf: false, line: 8)])
    }

    @Test func allListedKeys() {
        let body = """
        Subject line body.

        signed-off-by: Halil Pasic <pasic@linux.ibm.com>
        Acked-by: Halil Pasic <pasic@linux.ibm.com>
        Reviewed-by: Halil Pasic <pasic@linux.ibm.com>
        Tested-by: Halil Pasic <pasic@linux.ibm.com>
        Reported-by: Halil Pasic <pasic@linux.ibm.com>
        Suggested-by: Halil Pasic <pasic@linux.ibm.com>
        Co-developed-by: Halil Pasic <pasic@linux.ibm.com>
        Nacked-by: Halil Pasic <pasic@linux.ibm.com>
        Fixes: f21916ec4826 ("s390/vfio-ap: clean up vfio_ap resources when KVM pointer invalidated")
        Cc: stable@vger.kernel.org # 5.10
        Link: https://lore.kernel.org/r/20210216011547.22277-1-akrowiak@linux.ibm.com
        Closes: https://bugzilla.kernel.org/show_bug.cgi?id=1
        """
        let t = TrailerParser.parse(body: body, sender: Self.sender)
        #expect(t.map(\.key) == ["Signed-off-by", "Acked-by", "Reviewed-by", "Tested-by", "Reported-by", "Suggested-by",
                                 "Co-developed-by", "Nacked-by", "Fixes", "Cc", "Link", "Closes"])
        #expect(t.map(\.line) == Array(2...13))
        #expect(t[8].value == "f21916ec4826 (\"s390/vfio-ap: clean up vfio_ap resources when KVM pointer invalidated\")")
        #expect(t[8].person == nil)
        #expect(t[9].person == Address(name: nil, email: "stable@vger.kernel.org"))
        #expect(t[9].value == "stable@vger.kernel.org # 5.10")
        #expect(t[10].value == "https://lore.kernel.org/r/20210216011547.22277-1-akrowiak@linux.ibm.com")
        #expect(t.allSatisfy { !$0.isOnBehalf })
    }

    @Test func wrappedTrailersRepaired() {
        let body = """
        Looks good.

        Reviewed-by: Very Long Name Of A Reviewer
        <reviewer@example.com>
        Tested-by: Another Tester
          <tester@example.com>
        Fixes: 0123456789ab ("subsystem: a very long commit title that the
          mailer wrapped")
        """
        let t = TrailerParser.parse(body: body, sender: Self.sender)
        #expect(t.map(\.value) == [
            "Very Long Name Of A Reviewer <reviewer@example.com>",
            "Another Tester <tester@example.com>",
            "0123456789ab (\"subsystem: a very long commit title that the mailer wrapped\")",
        ])
        #expect(t[0].person == Address(name: "Very Long Name Of A Reviewer", email: "reviewer@example.com"))
        #expect(t.map(\.line) == [2, 4, 6])
    }

    @Test func trailerForAnotherPersonIsOnBehalf() {
        let body = """
        Applied, thanks.

        Tested-by: Tony Krowiak <akrowiak@linux.ibm.com>
        Acked-by: HALIL PASIC <other-address@example.com>
        Reviewed-by: Someone <PASIC@linux.ibm.com>
        """
        let t = TrailerParser.parse(body: body, sender: Self.sender)
        #expect(t.map(\.isOnBehalf) == [true, false, false])   // same name or same address is the sender
        #expect(t[0].person == Address(name: "Tony Krowiak", email: "akrowiak@linux.ibm.com"))
        // without a known sender nothing is marked
        #expect(TrailerParser.parse(body: body, sender: nil).map(\.isOnBehalf) == [false, false, false])
    }

    @Test func commaInUnquotedName() {
        let t = TrailerParser.parse(body: "Signed-off-by: Murugasen Krishnan, Kuhanh <kuhanh@example.com>\nAcked-by: \"Krowiak, Tony\" <t@example.com>\n", sender: nil)
        #expect(t.map(\.person) == [Address(name: "Murugasen Krishnan, Kuhanh", email: "kuhanh@example.com"),
                                    Address(name: "Krowiak, Tony", email: "t@example.com")])
    }

    @Test func notTrailers() {
        let body = """
        Subject: not a trailer
        Note: neither is this
        Acked-by: nobody without an address
        http://example.com: no
        Signed-off-by: Real One <real@example.com>
        ---
         drivers/foo.c | 2 +-
        Signed-off-by: Inside Diff Area <diff@example.com>
        """
        let t = TrailerParser.parse(body: body, sender: nil)
        #expect(t.map(\.value) == ["Real One <real@example.com>"])
        #expect(t.map(\.line) == [4])
    }

    @Test func trailersInParsedMessage() {
        let m = parseMessage("""
        From: Halil Pasic <pasic@linux.ibm.com>
        Date: Mon, 15 Feb 2021 20:15:47 -0500
        Message-ID: <t@example.com>
        Subject: Re: [PATCH] x

        > Signed-off-by: Tony Krowiak <akrowiak@linux.ibm.com>
        Acked-by: Halil Pasic <pasic@linux.ibm.com>
        Reported-by: Bot <bot@example.com>

        """)
        #expect(m.trailers == [
            Trailer(key: "Acked-by", value: "Halil Pasic <pasic@linux.ibm.com>", person: Self.sender, isOnBehalf: false, line: 1),
            Trailer(key: "Reported-by", value: "Bot <bot@example.com>", person: Address(name: "Bot", email: "bot@example.com"), isOnBehalf: true, line: 2),
        ])
    }
}
