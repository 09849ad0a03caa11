#include "core/text/printabletext.h"

namespace gk {

namespace {

bool isUnsafe(QChar c)
{
    const auto category = c.category();
    return category == QChar::Other_Control || category == QChar::Other_Format ||
           category == QChar::Other_NotAssigned || category == QChar::Other_Surrogate ||
           category == QChar::Other_PrivateUse;
}

} // namespace

QString printableText(const QString& text, qsizetype maxLength)
{
    QString result;
    result.reserve(std::min(text.size(), maxLength + 1));
    bool pendingSpace = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        QChar c = text.at(i);
        // A valid surrogate pair is one printable character (an emoji, say): keep both halves.
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            if (pendingSpace && !result.isEmpty())
                result.append(QLatin1Char(' '));
            pendingSpace = false;
            result.append(c);
            result.append(text.at(++i));
            continue;
        }
        if (c.isSpace()) {
            pendingSpace = true;
            continue;
        }
        if (isUnsafe(c))
            c = QChar::ReplacementCharacter;
        if (pendingSpace && !result.isEmpty())
            result.append(QLatin1Char(' '));
        pendingSpace = false;
        result.append(c);
        if (result.size() > maxLength)
            break;
    }
    if (result.size() > maxLength) {
        result.truncate(maxLength);
        result.append(QChar(0x2026));
    }
    return result;
}

QString withoutControlCharacters(const QString& text, bool keepLineBreaks)
{
    QString result = text;
    for (qsizetype i = 0; i < result.size(); ++i) {
        const QChar c = result.at(i);
        if (c == QLatin1Char('\n') && keepLineBreaks)
            continue;
        if (c == QLatin1Char('\t') || c == QLatin1Char('\n') || c == QLatin1Char('\r'))
            result[i] = QLatin1Char(' ');
        else if (!c.isSurrogate() && isUnsafe(c))
            result[i] = QChar::ReplacementCharacter;
    }
    return result;
}

bool containsControlCharacters(const QString& text)
{
    for (QChar c : text) {
        if (c.isSpace() && c != QLatin1Char(' '))
            return true;
        if (!c.isSurrogate() && isUnsafe(c))
            return true;
    }
    return false;
}

} // namespace gk
