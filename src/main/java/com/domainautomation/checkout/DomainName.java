package com.domainautomation.checkout;

import com.ibm.icu.text.IDNA;
import com.ibm.icu.text.SpoofChecker;
import com.ibm.icu.text.UnicodeSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A registrable domain name (name.tld), taken as sent: no surrounding spaces, no invisible or bidirectional-control
 * characters, each label valid under IDNA2008 as UTS-46 non-transitional processing checks it (bidi and joiner rules,
 * STD3 letters, digits and hyphens), in the form IDNA keeps (only case may differ: no full-width or other characters
 * IDNA would map to different ones), and written in one script or an accepted combination (Latin with Han and
 * Japanese kana, or Korean), also when sent as an A-label ({@code xn--}), and not a lookalike of a plain ASCII label
 * (such as Cyrillic {@code асе} for {@code ace}: UTS #39 confusable skeletons). The ASCII form is the lower-case A-label
 * form, at most 253 characters, labels of 1 to 63.
 */
public record DomainName(String ascii, String unicode) {
    private static final Pattern LABEL = Pattern.compile("^(?!-)[a-z0-9-]{1,63}(?<!-)$");
    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII
            | IDNA.NONTRANSITIONAL_TO_UNICODE
            | IDNA.CHECK_BIDI
            | IDNA.CHECK_CONTEXTJ
            | IDNA.CHECK_CONTEXTO
            | IDNA.USE_STD3_RULES);
    /**
     * One script per label, or Latin with Han and kana, Bopomofo or Hangul (UTS #39 "highly restrictive"), and only
     * characters UTS #39 recommends for identifiers (letters in modern use: no IPA small capitals, no historic scripts).
     */
    private static final ThreadLocal<SpoofChecker> SCRIPTS = ThreadLocal.withInitial(() -> new SpoofChecker.Builder()
            .setChecks(SpoofChecker.RESTRICTION_LEVEL
                    | SpoofChecker.MIXED_NUMBERS
                    | SpoofChecker.INVISIBLE
                    | SpoofChecker.CHAR_LIMIT)
            .setAllowedChars(new UnicodeSet(SpoofChecker.RECOMMENDED)
                    .addAll(SpoofChecker.INCLUSION)
                    .freeze())
            .setRestrictionLevel(SpoofChecker.RestrictionLevel.HIGHLY_RESTRICTIVE)
            .build());

    /** Parses user input; throws IllegalArgumentException with a sentence that says what is wrong. */
    public static DomainName parse(String input) {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("is required");
        }
        if (input.length() > 253 * 4) {
            throw new IllegalArgumentException("is too long");
        }
        input.codePoints().filter(DomainName::invisible).findFirst().ifPresent(c -> {
            throw new IllegalArgumentException("contains "
                    + (Character.isWhitespace(c) || Character.isSpaceChar(c)
                            ? "a space"
                            : "an invisible or bidirectional-control character")
                    + String.format(" (U+%04X); send the name alone, as it is written", c));
        });
        String name = input.endsWith(".") ? input.substring(0, input.length() - 1) : input;
        String ascii = idna(name, true);
        if (ascii.length() > 253) {
            throw new IllegalArgumentException("is longer than 253 characters");
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            throw new IllegalArgumentException("must have a name and a TLD, e.g. example.com");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("has an invalid label '" + label
                        + "' (1 to 63 letters, digits or hyphens, not starting or ending with a hyphen)");
            }
        }
        if (labels.length > 2) {
            throw new IllegalArgumentException("must be a registrable name (name.tld), not a subdomain");
        }
        if (labels[0].length() >= 4
                && labels[0].charAt(2) == '-'
                && labels[0].charAt(3) == '-'
                && !labels[0].startsWith("xn--")) {
            throw new IllegalArgumentException(
                    "must not have '--' in the third and fourth place unless it is punycode (xn--)");
        }
        String unicode = idna(ascii, false);
        String[] sent = name.split("\\.", -1);
        String[] unicodeLabels = unicode.split("\\.", -1);
        for (int i = 0; i < sent.length; i++) {
            boolean aLabel = sent[i].regionMatches(true, 0, "xn--", 0, 4);
            if (!aLabel && !sent[i].toLowerCase(Locale.ROOT).equals(unicodeLabels[i])) {
                throw new IllegalArgumentException("has characters IDNA turns into others in '" + sent[i]
                        + "' (it would be registered as '" + unicodeLabels[i] + "'); send the name as it is written");
            }
            unicodeLabels[i].codePoints().filter(c -> !idna2008(c)).findFirst().ifPresent(c -> {
                throw new IllegalArgumentException(String.format(
                        "has '%s' (U+%04X), which IDNA2008 does not allow in a domain name "
                                + "(letters, digits and inner hyphens only; no symbols or punctuation)",
                        Character.toString(c), c));
            });
            if (!ascii(unicodeLabels[i]) && SCRIPTS.get().failsChecks(unicodeLabels[i])) {
                throw new IllegalArgumentException(
                        "mixes scripts or uses uncommon letters in '" + unicodeLabels[i] + "' (a label is "
                                + "written in one script, or Latin with Chinese, Japanese or Korean, in letters of modern use)");
            }
            String lookalike = ascii(unicodeLabels[i]) ? null : SCRIPTS.get().getSkeleton(unicodeLabels[i]);
            if (lookalike != null && ascii(lookalike)) {
                throw new IllegalArgumentException("has the label '" + unicodeLabels[i]
                        + "', which looks like the plain '" + lookalike.toLowerCase(Locale.ROOT)
                        + "'; send the name in the letters it is meant in");
            }
        }
        if (!idna(unicode, true).equals(ascii)) {
            throw new IllegalArgumentException("is not a valid IDNA name (its A-label and U-label forms do not match)");
        }
        return new DomainName(ascii, unicode);
    }

    public String tld() {
        return ascii.substring(ascii.lastIndexOf('.') + 1);
    }

    /** The name in A-label (toAscii) or U-label form under UTS-46; a name IDNA refuses is an IllegalArgumentException. */
    private static String idna(String name, boolean toAscii) {
        IDNA.Info info = new IDNA.Info();
        StringBuilder out = new StringBuilder();
        if (toAscii) {
            UTS46.nameToASCII(name, out, info);
        } else {
            UTS46.nameToUnicode(name, out, info);
        }
        if (info.hasErrors()) {
            throw new IllegalArgumentException(describe(info.getErrors()));
        }
        return toAscii ? out.toString().toLowerCase(Locale.ROOT) : out.toString();
    }

    /** The first of IDNA's errors, as a sentence for the caller. */
    private static String describe(Set<IDNA.Error> errors) {
        for (IDNA.Error error : IDNA.Error.values()) {
            if (!errors.contains(error)) {
                continue;
            }
            return switch (error) {
                case EMPTY_LABEL -> "has an empty label (two dots in a row, or a dot at the start)";
                case LABEL_TOO_LONG -> "has a label longer than 63 characters";
                case DOMAIN_NAME_TOO_LONG -> "is longer than 253 characters";
                case LEADING_HYPHEN, TRAILING_HYPHEN -> "has a label that starts or ends with a hyphen";
                case HYPHEN_3_4 -> "must not have '--' in the third and fourth place unless it is punycode (xn--)";
                case LEADING_COMBINING_MARK -> "has a label that starts with a combining mark";
                case PUNYCODE, INVALID_ACE_LABEL -> "has an xn-- label that is not valid punycode of a valid name";
                case BIDI -> "mixes right-to-left and left-to-right text in a way IDNA2008 forbids";
                case CONTEXTJ, CONTEXTO_PUNCTUATION, CONTEXTO_DIGITS ->
                    "has a joiner, punctuation or digit IDNA2008 allows only in other contexts";
                default ->
                    "has characters that are not allowed in a domain name (letters, digits and inner hyphens; IDNA2008)";
            };
        }
        return "is not a valid domain name under IDNA2008";
    }

    /** Spaces, controls, format characters (zero-width, joiners, bidi controls, soft hyphen, BOM) and other ignorables. */
    private static boolean invisible(int c) {
        return Character.isWhitespace(c)
                || Character.isSpaceChar(c)
                || Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT
                || Character.isIdentifierIgnorable(c)
                || c == 0x034F
                || c == 0x115F
                || c == 0x1160
                || c == 0x3164
                || c == 0xFFA0
                || (c >= 0xFE00 && c <= 0xFE0F)
                || (c >= 0xE0100 && c <= 0xE01EF)
                || c == 0x180B
                || c == 0x180C
                || c == 0x180D
                || c == 0x180F;
    }

    /**
     * Whether IDNA2008 (RFC 5892) lets {@code c} be in a U-label: letters and digits (general categories Ll, Lo, Lm, Mn,
     * Mc, Nd) and the hyphen, with its exceptions; symbols and punctuation that UTS-46 still lets through (NV8) are not.
     */
    static boolean idna2008(int c) {
        if (c < 0x80) {
            return c == '-' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        }
        switch (c) {
            case 0x00B7, 0x0375, 0x05F3, 0x05F4, 0x30FB, 0x06FD, 0x06FE, 0x0F0B, 0x3007:
                return true; // CONTEXTO characters and PVALID exceptions (IDNA's own contextual rules check them)
            case 0x0640, 0x07FA, 0x302E, 0x302F, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303B:
                return false; // DISALLOWED exceptions
            default:
                break;
        }
        return switch (Character.getType(c)) {
            case Character.LOWERCASE_LETTER,
                    Character.OTHER_LETTER,
                    Character.MODIFIER_LETTER,
                    Character.NON_SPACING_MARK,
                    Character.COMBINING_SPACING_MARK,
                    Character.DECIMAL_DIGIT_NUMBER -> true;
            default -> false;
        };
    }

    private static boolean ascii(String label) {
        return label.chars().allMatch(c -> c < 0x80);
    }
}
