#include "ui/clipboardguard.h"

#include "core/expiry/clock.h"
#include "ui/uilogging.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QMimeData>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <array>

namespace gk {

namespace {

// Wall-clock time can jump (NTP, a user changing the time); a countdown that follows it could keep a secret on
// the clipboard for an hour. This clock starts at the wall time but only ever moves forward with a monotonic timer.
class MonotonicClock final : public Clock
{
public:
    MonotonicClock()
        : m_start(QDateTime::currentDateTimeUtc())
    {
        m_elapsed.start();
    }
    QDateTime now() const override { return m_start.addMSecs(m_elapsed.elapsed()); }

private:
    QDateTime m_start;
    QElapsedTimer m_elapsed;
};

QByteArray randomSalt()
{
    std::array<quint32, 4> words{};
    QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
    return QByteArray(reinterpret_cast<const char*>(words.data()), qsizetype(sizeof(words)));
}

QMimeData* createSecretMimeData(const QString& text)
{
    auto* mime = new QMimeData;
    mime->setText(text);
    for (const auto& [format, value] : ClipboardGuard::historyExclusionHints())
        mime->setData(format, value);
    return mime;
}

} // namespace

ClipboardGuard::ClipboardGuard(QClipboard* clipboard, QObject* parent)
    : QObject(parent)
    , m_clipboard(clipboard)
    , m_systemClock(std::make_unique<MonotonicClock>())
    , m_clock(m_systemClock.get())
    , m_timer(new QTimer(this))
{
    // A coarse timer may fire up to 5 % early, and the countdown would then show a second twice.
    m_timer->setTimerType(Qt::PreciseTimer);
    m_timer->setInterval(std::chrono::seconds(1));
    connect(m_timer, &QTimer::timeout, this, &ClipboardGuard::tick);

    if (m_clipboard)
        connect(m_clipboard, &QClipboard::changed, this, &ClipboardGuard::onClipboardChanged);
    // On X11 the clipboard is handed to a clipboard manager when the application exits: take the secret away first.
    if (auto* app = QCoreApplication::instance())
        connect(app, &QCoreApplication::aboutToQuit, this, &ClipboardGuard::clearNow);
}

ClipboardGuard::~ClipboardGuard()
{
    if (isActive())
        finish(true, false);
}

void ClipboardGuard::setClearDelay(std::chrono::seconds delay)
{
    m_clearDelay = std::max(delay, std::chrono::seconds(1));
}

std::chrono::seconds ClipboardGuard::clearDelay() const
{
    return m_clearDelay;
}

void ClipboardGuard::setClock(const Clock& clock)
{
    m_clock = &clock;
    m_systemClock.reset();
}

void ClipboardGuard::setTickInterval(std::chrono::milliseconds interval)
{
    m_timer->setInterval(interval);
}

QList<std::pair<QString, QByteArray>> ClipboardGuard::historyExclusionHints()
{
#if defined(Q_OS_MACOS)
    // nspasteboard.org: transient and concealed content is not recorded by clipboard history tools.
    return {{QStringLiteral("application/x-nspasteboard-concealed-type"), QByteArrayLiteral("secret")}};
#elif defined(Q_OS_WIN)
    // Windows clipboard history (Win+V) and cloud clipboard; the last two must hold the DWORD 0. The
    // x-qt-windows-mime form makes Qt register exactly these clipboard format names.
    const QByteArray dwordZero(4, '\0');
    return {
        {QStringLiteral("application/x-qt-windows-mime;value=\"ExcludeClipboardContentFromMonitorProcessing\""),
         dwordZero},
        {QStringLiteral("application/x-qt-windows-mime;value=\"CanIncludeInClipboardHistory\""), dwordZero},
        {QStringLiteral("application/x-qt-windows-mime;value=\"CanUploadToCloudClipboard\""), dwordZero},
    };
#else
    // Klipper, and the Wayland/X11 clipboard managers that follow it, skip content carrying this hint.
    return {{QStringLiteral("x-kde-passwordManagerHint"), QByteArrayLiteral("secret")}};
#endif
}

void ClipboardGuard::copySecret(const QString& text, const QString& what)
{
    if (text.isEmpty())
        return;
    if (!m_clipboard) {
        qCWarning(lcUi) << "no clipboard to copy the" << what << "to";
        return;
    }

    m_salt = randomSalt();
    m_fingerprint = fingerprintOf(text);
    m_what = what;

    m_settingClipboard = true;
    for (QClipboard::Mode mode : supportedModes())
        m_clipboard->setMimeData(createSecretMimeData(text), mode); // the clipboard owns each QMimeData
    m_settingClipboard = false;
    startCountdown();
    qCInfo(lcUi) << "copied the" << what << "to the clipboard, clearing in" << m_secondsLeft << "s";
}

bool ClipboardGuard::guardCopiedText(const QString& text, const QString& what)
{
    if (text.isEmpty() || !m_clipboard)
        return false;
    const auto holdsText = [this, &text](QClipboard::Mode mode) {
        const QMimeData* data = m_clipboard->mimeData(mode);
        return data && data->hasText() && data->text() == text;
    };
    const QList<QClipboard::Mode> modes = supportedModes();
    if (std::none_of(modes.begin(), modes.end(), holdsText))
        return false;
    if (isActive())
        finish(true, false);
    m_salt = randomSalt();
    m_fingerprint = fingerprintOf(text);
    m_what = what;
    startCountdown();
    qCInfo(lcUi) << "guarding the" << what << "on the clipboard, clearing in" << m_secondsLeft << "s";
    return true;
}

bool ClipboardGuard::isGuarding(const QString& text) const
{
    return isActive() && !text.isEmpty() && fingerprintOf(text) == m_fingerprint;
}

void ClipboardGuard::startCountdown()
{
    // The deadline is fixed before the timer starts, so every tick lands just after a whole second.
    m_deadline = m_clock->now().addSecs(m_clearDelay.count());
    m_secondsLeft = int(m_clearDelay.count());
    m_timer->start();
    emit countdownChanged(m_secondsLeft, m_what);
}

bool ClipboardGuard::isActive() const
{
    return !m_fingerprint.isEmpty();
}

int ClipboardGuard::secondsLeft() const
{
    return isActive() ? m_secondsLeft : 0;
}

QString ClipboardGuard::what() const
{
    return m_what;
}

void ClipboardGuard::clearNow()
{
    if (isActive())
        finish(true, true);
}

void ClipboardGuard::tick()
{
    if (!isActive())
        return;
    const int left = computeSecondsLeft();
    if (left != m_secondsLeft) {
        m_secondsLeft = left;
        emit countdownChanged(m_secondsLeft, m_what);
    }
    if (m_secondsLeft == 0)
        finish(true, true);
}

QByteArray ClipboardGuard::fingerprintOf(const QString& text) const
{
    // Hashes the UTF-16 code units in place: a toUtf8() copy would leave the secret behind in freed memory.
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(m_salt);
    hash.addData(
        QByteArrayView(reinterpret_cast<const char*>(text.constData()), text.size() * qsizetype(sizeof(QChar))));
    return hash.result();
}

bool ClipboardGuard::holdsOurCopy(QClipboard::Mode mode) const
{
    // Content, not ownsClipboard(): the offscreen platform never reports ownership, and "exactly what we put
    // there" is the promise anyway.
    if (!m_clipboard || !isActive())
        return false;
    const QMimeData* data = m_clipboard->mimeData(mode);
    return data && data->hasText() && fingerprintOf(data->text()) == m_fingerprint;
}

QList<QClipboard::Mode> ClipboardGuard::modesHoldingOurCopy() const
{
    QList<QClipboard::Mode> modes;
    for (QClipboard::Mode mode : supportedModes()) {
        if (holdsOurCopy(mode))
            modes.append(mode);
    }
    return modes;
}

QList<QClipboard::Mode> ClipboardGuard::supportedModes() const
{
    // X11 also has the primary selection (middle-click paste); a secret copied there must be cleared there too.
    if (m_clipboard && m_clipboard->supportsSelection())
        return {QClipboard::Clipboard, QClipboard::Selection};
    return {QClipboard::Clipboard};
}

int ClipboardGuard::computeSecondsLeft() const
{
    const qint64 msLeft = m_clock->now().msecsTo(m_deadline);
    if (msLeft <= 0)
        return 0;
    // Rounded up: the copy stays for the whole delay, and the display reads 30, 29, ... 1, 0. Never counts up,
    // whatever an injected clock does.
    return int(std::min<qint64>((msLeft + 999) / 1000, m_secondsLeft));
}

void ClipboardGuard::onClipboardChanged(QClipboard::Mode mode)
{
    if (m_settingClipboard || !isActive() || !supportedModes().contains(mode))
        return;
    if (holdsOurCopy(mode))
        return; // a change notification for our own content, e.g. the platform confirming ownership
    // The user copied something else: never touch it. Keep counting only while another mode still has our copy.
    for (QClipboard::Mode other : supportedModes()) {
        if (other != mode && holdsOurCopy(other))
            return;
    }
    qCInfo(lcUi) << "the clipboard no longer holds the" << m_what << "; leaving it alone";
    finish(false, true);
}

void ClipboardGuard::finish(bool clearClipboard, bool notify)
{
    const QList<QClipboard::Mode> modes = clearClipboard ? modesHoldingOurCopy() : QList<QClipboard::Mode>();
    const QString what = m_what;
    // Forget first: clearing emits QClipboard::changed, which must not be taken for the user's copy.
    forgetCopy();
    for (QClipboard::Mode mode : modes)
        m_clipboard->clear(mode);
    if (!modes.isEmpty())
        qCInfo(lcUi) << "cleared the" << what << "from the clipboard";
    if (notify)
        emit cleared(!modes.isEmpty());
}

void ClipboardGuard::forgetCopy()
{
    m_timer->stop();
    m_fingerprint.fill('\0');
    m_fingerprint.clear();
    m_salt.fill('\0');
    m_salt.clear();
    m_what.clear();
    m_deadline = QDateTime();
    m_secondsLeft = 0;
}

} // namespace gk
