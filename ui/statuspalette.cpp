#include "ui/statuspalette.h"

#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace gk {

StatusPalette::Tone StatusPalette::toneFor(ExpiryState state)
{
    switch (state) {
    case ExpiryState::Ok:
        return Tone::Good;
    case ExpiryState::Expiring:
        return Tone::Warning;
    case ExpiryState::Expired:
        return Tone::Bad;
    case ExpiryState::Unknown:
        return Tone::Neutral;
    }
    return Tone::Neutral;
}

StatusPalette::Tone StatusPalette::toneFor(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Passed:
        return Tone::Good;
    case Verdict::ScopeMissing:
        return Tone::Warning;
    case Verdict::Refused:
    case Verdict::Unreachable:
        return Tone::Bad;
    case Verdict::NotTested:
        return Tone::Neutral;
    }
    return Tone::Neutral;
}

bool StatusPalette::isDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor StatusPalette::color(Tone tone, const QPalette& palette)
{
    const bool dark = isDark(palette);
    switch (tone) {
    case Tone::Good:
        return dark ? QColor(0x81, 0xc7, 0x84) : QColor(0x1b, 0x6e, 0x20);
    case Tone::Warning:
        return dark ? QColor(0xff, 0xcc, 0x66) : QColor(0x8a, 0x5a, 0x00);
    case Tone::Bad:
        return dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb7, 0x1c, 0x1c);
    case Tone::Neutral:
        return palette.color(QPalette::PlaceholderText);
    }
    return palette.color(QPalette::Text);
}

QIcon StatusPalette::icon(Tone tone, const QPalette& palette)
{
    // Cells ask for their badge on every paint: draw each one once per tone and palette brightness.
    static QHash<QPair<int, bool>, QIcon> cache;
    const auto key = qMakePair(int(tone), isDark(palette));
    if (const auto it = cache.constFind(key); it != cache.constEnd())
        return *it;
    const QIcon icon = drawIcon(tone, palette);
    cache.insert(key, icon);
    return icon;
}

QIcon StatusPalette::drawIcon(Tone tone, const QPalette& palette)
{
    QIcon icon;
    for (const int size : {16, 24, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        const QColor fill = color(tone, palette);
        painter.setPen(Qt::NoPen);
        painter.setBrush(fill);
        const qreal margin = size / 8.0;
        painter.drawEllipse(QRectF(margin, margin, size - 2 * margin, size - 2 * margin));

        // The glyph in the badge's contrasting colour, drawn as strokes so no font is needed.
        QPen pen(fill.lightness() > 140 ? QColor(0x20, 0x20, 0x20) : QColor(Qt::white));
        pen.setWidthF(size / 9.0);
        pen.setCapStyle(Qt::RoundCap);
        pen.setJoinStyle(Qt::RoundJoin);
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        const qreal s = size;
        switch (tone) {
        case Tone::Good: {
            QPainterPath check;
            check.moveTo(s * 0.31, s * 0.52);
            check.lineTo(s * 0.45, s * 0.66);
            check.lineTo(s * 0.70, s * 0.37);
            painter.drawPath(check);
            break;
        }
        case Tone::Warning:
            painter.drawLine(QPointF(s * 0.5, s * 0.30), QPointF(s * 0.5, s * 0.55));
            painter.drawPoint(QPointF(s * 0.5, s * 0.70));
            break;
        case Tone::Bad:
            painter.drawLine(QPointF(s * 0.36, s * 0.36), QPointF(s * 0.64, s * 0.64));
            painter.drawLine(QPointF(s * 0.64, s * 0.36), QPointF(s * 0.36, s * 0.64));
            break;
        case Tone::Neutral: {
            QPainterPath question;
            question.moveTo(s * 0.38, s * 0.40);
            question.cubicTo(s * 0.38, s * 0.24, s * 0.64, s * 0.24, s * 0.62, s * 0.40);
            question.cubicTo(s * 0.60, s * 0.50, s * 0.50, s * 0.48, s * 0.50, s * 0.58);
            painter.drawPath(question);
            painter.drawPoint(QPointF(s * 0.5, s * 0.72));
            break;
        }
        }
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace gk
