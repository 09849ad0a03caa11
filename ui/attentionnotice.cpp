#include "ui/attentionnotice.h"

#include "core/expiry/expirystatus.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QResizeEvent>
#include <QVBoxLayout>

namespace gk {

namespace {

// Long enough to tell grants apart, short enough that two fit on one line.
constexpr int MaxNameLength = 40;

QString quotedName(const QString& name)
{
    const QString shown = name.size() > MaxNameLength ? name.left(MaxNameLength - 1) + QChar(0x2026) : name;
    return QStringLiteral("“%1”").arg(shown);
}

} // namespace

AttentionNotice::AttentionNotice(QWidget* parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("attentionNotice"));
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(tr("Grants that need attention"));

    m_countsLabel = new QLabel(this);
    m_countsLabel->setObjectName(QStringLiteral("attentionCountsLabel"));
    m_countsLabel->setTextFormat(Qt::PlainText);
    QFont bold = m_countsLabel->font();
    bold.setBold(true);
    m_countsLabel->setFont(bold);
    m_urgentLabel = new QLabel(this);
    m_urgentLabel->setObjectName(QStringLiteral("attentionUrgentLabel"));
    m_urgentLabel->setTextFormat(Qt::PlainText);
    // The line is elided to the width it gets, so it never asks for more than the window has.
    m_urgentLabel->setMinimumWidth(0);
    m_urgentLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    m_showOnlyButton = new QPushButton(tr("&Show Only These"), this);
    m_showOnlyButton->setObjectName(QStringLiteral("showAttentionOnlyButton"));
    m_showOnlyButton->setAccessibleName(tr("Show only the grants that need attention"));
    m_showOnlyButton->setCheckable(true);
    connect(m_showOnlyButton, &QPushButton::toggled, this, &AttentionNotice::setShowingOnly);
    auto* dismiss = new QPushButton(tr("Dis&miss"), this);
    dismiss->setObjectName(QStringLiteral("dismissNoticeButton"));
    dismiss->setAccessibleName(tr("Dismiss the expiry notice"));
    connect(dismiss, &QPushButton::clicked, this, [this] {
        m_dismissed = true;
        m_showOnlyButton->setChecked(false);
        hide();
    });

    auto* lines = new QVBoxLayout;
    lines->setSpacing(2);
    lines->addWidget(m_countsLabel);
    lines->addWidget(m_urgentLabel);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addLayout(lines, 1);
    layout->addWidget(m_showOnlyButton, 0, Qt::AlignVCenter);
    layout->addWidget(dismiss, 0, Qt::AlignVCenter);
    hide();
}

void AttentionNotice::setAttention(const ExpiryAttention& attention)
{
    m_grantIds = attention.grantIds();
    if (attention.isEmpty()) {
        m_showOnlyButton->setChecked(false);
        hide();
        return;
    }
    m_countsLabel->setText(countsText(attention));
    m_urgentText = urgentText(attention);
    m_urgentLabel->setToolTip(m_urgentText);
    elideUrgentLine();
    if (m_showingOnly)
        emit showOnlyRequested(m_grantIds); // the filter follows: an extended grant leaves it
    setVisible(!m_dismissed);
}

void AttentionNotice::resizeEvent(QResizeEvent* event)
{
    QFrame::resizeEvent(event);
    elideUrgentLine();
}

void AttentionNotice::setShowingOnly(bool only)
{
    if (only == m_showingOnly)
        return;
    m_showingOnly = only;
    m_showOnlyButton->setText(only ? tr("&Show All Grants") : tr("&Show Only These"));
    m_showOnlyButton->setAccessibleName(only ? tr("Show every grant again")
                                             : tr("Show only the grants that need attention"));
    if (only)
        emit showOnlyRequested(m_grantIds);
    else
        emit showAllRequested();
}

void AttentionNotice::elideUrgentLine()
{
    m_urgentLabel->setText(
        m_urgentLabel->fontMetrics().elidedText(m_urgentText, Qt::ElideRight, m_urgentLabel->contentsRect().width()));
}

// "⚠ 12 grants have expired and 141 expire within 30 days."
QString AttentionNotice::countsText(const ExpiryAttention& attention)
{
    const int expired = attention.expiredCount();
    const int expiring = attention.expiringCount();
    const QString expiredPart = expired == 1 ? tr("1 grant has expired") : tr("%1 grants have expired").arg(expired);
    const QString window =
        attention.warningDays() == 1 ? tr("within 1 day") : tr("within %1 days").arg(attention.warningDays());
    if (expiring == 0)
        return tr("⚠ %1.").arg(expiredPart);
    if (expired == 0)
        return expiring == 1 ? tr("⚠ 1 grant expires %1.").arg(window)
                             : tr("⚠ %1 grants expire %2.").arg(expiring).arg(window);
    return expiring == 1 ? tr("⚠ %1 and 1 expires %2.").arg(expiredPart, window)
                         : tr("⚠ %1 and %2 expire %3.").arg(expiredPart).arg(expiring).arg(window);
}

// "Most urgent: “Payroll sync” (expired 3 days ago), “Edge” (expires today) and 151 more."
QString AttentionNotice::urgentText(const ExpiryAttention& attention)
{
    const QList<Grant>& grants = attention.grants();
    const auto describe = [&attention](const Grant& grant) {
        return ExpiryStatus::evaluate(grant.expiresOn, attention.today(), attention.warningDays()).describe();
    };
    if (grants.size() == 1) {
        const Grant& grant = grants.first();
        const bool expired = *grant.expiresOn < attention.today();
        return (expired ? tr("%1: %2. Extend it or create a new grant in Workiva, then edit it here.")
                        : tr("%1: %2. Extend its expiration date in Workiva, then edit it here."))
            .arg(quotedName(grant.name), describe(grant));
    }
    const QString first = tr("%1 (%2)").arg(quotedName(grants[0].name), describe(grants[0]));
    const QString second = tr("%1 (%2)").arg(quotedName(grants[1].name), describe(grants[1]));
    const qsizetype more = grants.size() - 2;
    if (more == 0)
        return tr("Most urgent: %1 and %2.").arg(first, second);
    return tr("Most urgent: %1, %2 and %3 more.").arg(first, second).arg(more);
}

} // namespace gk
