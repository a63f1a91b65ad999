import Testing
import Mailbox
@testable import Review

@Suite struct AttributionTests {
    func attribution(_ body: String) -> Attribution? {
        ReviewParser.analyze(reply(body)).attributions.first
    }

    @Test func oneLineOnWrote() throws {
        let a = try #require(attribution("On Mon, Feb 15, 2021 at 08:15:47PM -0500, Tony Krowiak wrote:\n> text\n\nok\n"))
        #expect(a.form == .onWrote)
        #expect(a.name == "Tony Krowiak")
        #expect(a.email == nil)
        #expect(a.date == "Mon, Feb 15, 2021 at 08:15:47PM -0500")
        #expect(a.lineCount == 1 && a.depth == 0 && a.quotedDepth == 1)
    }

    @Test func oneLineOnWroteWithAddressAndShortDate() throws {
        let a = try #require(attribution("On 2/15/21 8:15 PM, Tony Krowiak <akrowiak@linux.ibm.com> wrote:\n> text\n"))
        #expect(a.name == "Tony Krowiak")
        #expect(a.email == "akrowiak@linux.ibm.com")
        #expect(a.date == "2/15/21 8:15 PM")
    }

    @Test func twoLineFormDateThenName() throws {
        let a = try #require(attribution("On Mon, 15 Feb 2021 20:15:47 -0500\nTony Krowiak <akrowiak@xxxxxxxxxxxxx> wrote:\n\n> text\n"))
        #expect(a.form == .onWrote && a.lineCount == 2)
        #expect(a.name == "Tony Krowiak")
        #expect(a.email == "akrowiak@xxxxxxxxxxxxx")
    }

    @Test func twoLineFormAddressOnSecondLine() throws {
        let a = try #require(attribution("On Mon, Feb 15, 2021 at 08:15:47PM -0500, Tony Krowiak\n<akrowiak@linux.ibm.com> wrote:\n> text\n"))
        #expect(a.lineCount == 2)
        #expect(a.name == "Tony Krowiak")
        #expect(a.email == "akrowiak@linux.ibm.com")
    }

    @Test func gnusWrites() throws {
        let a = try #require(attribution("Tony Krowiak <akrowiak@linux.ibm.com> writes:\n\n> text\n"))
        #expect(a.form == .writes)
        #expect(a.name == "Tony Krowiak" && a.email == "akrowiak@linux.ibm.com")
    }

    @Test func quotingWithDate() throws {
        let a = try #require(attribution("Quoting Stephen Boyd (2021-02-15 17:15:47)\n> text\n"))
        #expect(a.form == .quoting)
        #expect(a.name == "Stephen Boyd")
        #expect(a.date == "2021-02-15 17:15:47")
    }

    @Test func quotingOnOneLine() throws {
        let a = try #require(attribution("Quoting Stephen Boyd (2021-02-15 17:15:47):\n> text\n"))
        #expect(a.form == .quoting && a.lineCount == 1)
        #expect(a.name == "Stephen Boyd")
    }

    @Test func german() throws {
        let a = try #require(attribution("Am 15.02.21 um 20:15 schrieb Christian König:\n> text\n"))
        #expect(a.form == .german)
        #expect(a.name == "Christian König")
        #expect(a.date == "15.02.21 um 20:15")
    }

    @Test func germanTwoLines() throws {
        let a = try #require(attribution("Am 15.02.21 um 20:15 schrieb\nChristian König <christian.koenig@amd.com>:\n> text\n"))
        #expect(a.form == .german && a.lineCount == 2)
        #expect(a.name == "Christian König" && a.email == "christian.koenig@amd.com")
    }

    @Test func french() throws {
        let a = try #require(attribution("Le 15/02/2021 à 20:15, Christophe Leroy a écrit :\n> text\n"))
        #expect(a.form == .french)
        #expect(a.name == "Christophe Leroy")
        #expect(a.date == "15/02/2021 à 20:15")
    }

    @Test func mutt() throws {
        let a = try #require(attribution("* Tony Krowiak <akrowiak@linux.ibm.com> [2021-02-15 20:15:47 -0500]:\n\n> text\n"))
        #expect(a.form == .mutt && a.name == "Tony Krowiak" && a.date == "2021-02-15 20:15:47 -0500")
    }

    @Test func outlookTopPostShiftsTheOriginal() throws {
        let body = """
        Thanks, I will fix it.

        -----Original Message-----
        From: Wu, Hao <hao.wu@intel.com>
        Sent: Monday, February 15, 2021 8:15 PM
        To: Xu Yilun <yilun.xu@intel.com>
        Subject: RE: [PATCH] fpga: dfl: foo

        Please rename this.
        """
        let an = ReviewParser.analyze(reply(body))
        let a = try #require(an.attributions.first)
        #expect(a.form == .outlook)
        #expect(a.name == "Wu, Hao" && a.email == "hao.wu@intel.com")
        #expect(a.date == "Monday, February 15, 2021 8:15 PM")
        #expect(a.firstLine == 2 && a.lineCount == 5)
        #expect(an.remarks.map(\.text) == ["Thanks, I will fix it."])
        #expect(an.blocks.last?.kind == .quote && an.blocks.last?.depth == 1 && an.blocks.last?.text == "\nPlease rename this.")
        #expect(an.author(ofDepth: 1)?.name == "Wu, Hao")
    }

    @Test func outlookInlineKeepsDepths() throws {
        let body = """
        > -----Original Message-----
        > From: Xu Yilun <yilun.xu@intel.com>
        > Sent: Monday, February 15, 2021 8:15 PM
        > To: Wu, Hao <hao.wu@intel.com>
        >
        > > +	int x;
        >
        > Why int?
        Because.
        """
        let an = ReviewParser.analyze(reply(body))
        #expect(an.attributions.first?.form == .outlook)
        #expect(an.attributions.first?.depth == 1)
        // the header opens the quoted message: it names the author of depth 1, not 2
        #expect(an.attributions.first?.quotedDepth == 1)
        #expect(an.author(ofDepth: 1)?.name == "Xu Yilun")
        #expect(an.author(ofDepth: 2) == nil)
        #expect(an.remarks.map(\.text) == ["Because."])
        #expect(an.remarks.first?.target == .prose)
    }

    @Test func outlookTopPostInsideAQuote() {
        // the quoted author top-posted: the original below their header goes one level deeper
        let body = """
        > Sure, will do.
        >
        > -----Original Message-----
        > From: Xu Yilun <yilun.xu@intel.com>
        > Sent: Monday, February 15, 2021 8:15 PM
        > To: Wu, Hao <hao.wu@intel.com>
        >
        > Please rename it.
        Thanks both.
        """
        let an = ReviewParser.analyze(reply(body))
        #expect(an.attributions.first?.quotedDepth == 2)
        #expect(an.author(ofDepth: 2)?.name == "Xu Yilun")
        #expect(an.blocks.map(\.depth) == [1, 1, 2, 0])
        #expect(an.blocks.map(\.kind) == [.quote, .attribution, .quote, .remark])
    }

    @Test func sentencesEndingInWroteAreNotAttributions() {
        let an = ReviewParser.analyze(reply("> foo\n\nI think what Tony wrote:\n> bar\nok\n"))
        #expect(an.attributions.isEmpty)
        #expect(an.remarks.first?.text == "I think what Tony wrote:")
    }
}

@Suite struct SplitterTests {
    @Test func quoteDepths() {
        let body = "> one\n> > two\n>> two\n> > > three\n>>> three\n| bar\n>no space\n"
        let blocks = ReviewParser.blocks(of: body)
        #expect(blocks.map(\.depth) == [1, 2, 3, 1])
        #expect(blocks.map(\.text) == ["one", "two\ntwo", "three\nthree", "bar\nno space"])
        #expect(blocks.allSatisfy { $0.kind == .quote })
    }

    @Test func tableRowsAreNotQuotes() {
        let blocks = ReviewParser.blocks(of: "| a | b |\n")
        #expect(blocks.map(\.kind) == [.remark])
    }

    @Test func kindsOfBlocks() {
        let body = """
        On Tue, 1 Mar 2022, Jane Doe wrote:
        > quoted
        [...]
        > more

        My remark.

        Reviewed-by: Reviewer <rev@example.org>
        --\u{20}
        Reviewer, on a phone
        """
        let blocks = ReviewParser.blocks(of: body)
        #expect(blocks.map(\.kind) == [.attribution, .quote, .snip, .quote, .blank, .remark, .blank, .trailer, .signature])
        #expect(blocks[5].text == "My remark.")
        #expect(blocks[8].lineCount == 2)
        let an = ReviewParser.analyze(reply(body))
        #expect(an.remarks.map(\.text) == ["My remark."])
    }

    @Test func snipMarkers() {
        for m in ["[...]", "[ ... ]", "...", "<snip>", "[snip]", "<...>", "[…]", "…", "[ snip 20 lines ]", "8<------"] {
            let blocks = ReviewParser.blocks(of: "> a\n\(m)\n> b\n")
            #expect(blocks.map(\.kind) == [.quote, .snip, .quote], "\(m)")
        }
        let blocks = ReviewParser.blocks(of: "> a\n<linux/foo.h>\n")
        #expect(blocks.map(\.kind) == [.quote, .remark])
    }

    /// A reviewer's code sketch elides a body with `\t...` (fpga, "KUnit suite for the FPGA Region"
    /// v6, Xu Yilun's `struct mgr_stats {` / `\t...` / `};`): the line is part of the remark, which
    /// stays one remark. A `...` with quoted or blank lines beside it is still a cut.
    @Test func dotsInsideTheSendersOwnTextAreNoCut() {
        let body = "> quoted\n\nA single module is simpler:\n\nstruct mgr_stats {\n\t...\n};\n\nstruct bridge_stats {\n\t...\n};\n\nHow do you think?\n"
        let an = ReviewParser.analyze(reply(body))
        #expect(an.remarks.count == 1)
        #expect(an.remarks.first?.text.contains("struct mgr_stats {\n\t...\n};") == true)
        #expect(an.remarks.first?.text.hasSuffix("How do you think?") == true)
        #expect(!ReviewParser.blocks(of: body).contains { $0.kind == .snip })
        // Cuts: beside quoted text, or between blank lines.
        #expect(ReviewParser.blocks(of: "> a\n...\n> b\n").map(\.kind) == [.quote, .snip, .quote])
        #expect(ReviewParser.blocks(of: "> a\n\n...\n\nremark\n").map(\.kind) == [.quote, .blank, .snip, .blank, .remark])
        #expect(ReviewParser.blocks(of: "first\n...\n> b\n").map(\.kind) == [.remark, .snip, .quote])
    }

    @Test func remarkIsTheRegionBetweenQuotes() {
        let an = ReviewParser.analyze(reply("> a\n\nfirst paragraph\n\nsecond paragraph\n\n> b\nthird\n"))
        #expect(an.remarks.map(\.text) == ["first paragraph\n\nsecond paragraph", "third"])
        #expect(an.remarks.map(\.firstLine) == [2, 7])
        #expect(an.remarks.map { $0.span?.text } == ["a", "b"])
    }
}
