// Makes text from a server safe to show: no control characters that could drive a terminal, bounded length.
#pragma once

#include <QString>

namespace gk {

// Replaces control and format characters with U+FFFD, folds runs of whitespace into one space, trims,
// and cuts the result to maxLength characters (with an ellipsis).
QString printableText(const QString& text, qsizetype maxLength = 300);

// Replaces control and format characters with U+FFFD but keeps spaces, and line breaks when asked: for text
// whose layout matters (aligned columns, help), that may still come from a file or a server.
QString withoutControlCharacters(const QString& text, bool keepLineBreaks);

// True if text holds a character printableText() would replace.
bool containsControlCharacters(const QString& text);

} // namespace gk
