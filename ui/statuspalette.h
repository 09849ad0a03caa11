// Colours and icons for grant states, readable on light and dark palettes. Colour is never the only signal:
// every state also has a glyph in its icon and words in its text.
#pragma once

#include "core/expiry/expirystatus.h"
#include "core/verdict/testverdict.h"

#include <QColor>
#include <QIcon>
#include <QPalette>

namespace gk {

class StatusPalette
{
public:
    enum class Tone { Good, Warning, Bad, Neutral };

    static Tone toneFor(ExpiryState state);
    // Passed green; a scope missing amber (a token, but not all it should grant); refused and unreachable red.
    static Tone toneFor(Verdict verdict);
    static QColor color(Tone tone, const QPalette& palette);
    // A round badge with a glyph: ✓ good, ! warning, ✕ bad, ? neutral.
    static QIcon icon(Tone tone, const QPalette& palette);
    static bool isDark(const QPalette& palette);

private:
    static QIcon drawIcon(Tone tone, const QPalette& palette);
};

} // namespace gk
