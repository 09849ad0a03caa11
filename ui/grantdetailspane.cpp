#include "ui/grantdetailspane.h"

#include "core/expiry/clock.h"
#include "core/expiry/expirystatus.h"
#include "core/text/durationtext.h"
#include "ui/statuspalette.h"
#include "ui/wrappinglabel.h"

#include <QCoreApplication>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace gk {

namespace {

// "This grant expires in 12 days: …", for a grant inside the warning window.
QString expiringWarning(qint64 daysLeft)
{
    if (daysLeft == 0)
        return GrantDetailsPane::tr("This grant expires today: extend it in Workiva before it stops working.");
    if (daysLeft == 1)
        return GrantDetailsPane::tr("This grant expires tomorrow: extend it in Workiva before it stops working.");
    return GrantDetailsPane::tr("This grant expires in %1 days: extend it in Workiva before it stops working.")
        .arg(daysLeft);
}

QString htmlEscaped(const QString& text)
{
    return text.toHtmlEscaped();
}

QString localTime(const QDateTime& time)
{
    return QLocale().toString(time.toLocalTime(), QLocale::ShortFormat);
}

WrappingLabel* makeValueLabel(QWidget* parent, const QString& objectName)
{
    auto* label = new WrappingLabel(parent);
    label->setObjectName(objectName);
    return label;
}

// Labels above their values once the pane is too narrow for both side by side: a value is never squeezed into
// a sliver next to "Client authentication:".
void makeNarrowFriendly(QFormLayout* form)
{
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
}

QString trustDescription(const TrustSettings& trust)
{
    switch (trust.mode) {
    case TrustMode::System:
        return QCoreApplication::translate("GrantDetailsPane", "The system's certificate authorities");
    case TrustMode::SystemPlusCaFile:
        return QCoreApplication::translate("GrantDetailsPane", "System CAs plus %1").arg(trust.caFilePath);
    case TrustMode::Pinned:
        return QCoreApplication::translate("GrantDetailsPane", "Pinned certificate %1")
            .arg(CertificateInfo::formatFingerprint(CertificateInfo::normaliseFingerprint(trust.pinnedSha256)));
    }
    return {};
}

} // namespace

GrantDetailsPane::GrantDetailsPane(const Clock& clock, QWidget* parent)
    : QWidget(parent)
    , m_clock(clock)
{
    setObjectName(QStringLiteral("grantDetailsPane"));
    setAccessibleName(tr("Grant details"));
    setMinimumWidth(360);

    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);

    m_emptyLabel = new QLabel(tr("Select a grant to see its details."), this);
    m_emptyLabel->setObjectName(QStringLiteral("detailsEmptyLabel"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    outer->addWidget(m_emptyLabel);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    // Long values (URLs, fingerprints) wrap or are selectable; the pane never scrolls sideways.
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setFrameShape(QFrame::NoFrame);
    m_content = new QWidget(scroll);
    scroll->setWidget(m_content);
    outer->addWidget(scroll);
    scroll->hide();

    auto* layout = new QVBoxLayout(m_content);
    createTitle(layout);
    layout->addWidget(createSettingsGroup());
    layout->addWidget(createLastTestGroup());
    layout->addWidget(createHistoryGroup());
    layout->addStretch(1);

    m_hideSecretTimer.setSingleShot(true);
    m_hideSecretTimer.setInterval(std::chrono::seconds(RevealSeconds));
    connect(&m_hideSecretTimer, &QTimer::timeout, this, &GrantDetailsPane::hideSecret);

    rebuild();
}

void GrantDetailsPane::createTitle(QVBoxLayout* layout)
{
    m_titleLabel = makeValueLabel(m_content, QStringLiteral("detailsTitleLabel"));
    QFont titleFont = m_titleLabel->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_titleLabel->setFont(titleFont);
    layout->addWidget(m_titleLabel);

    m_warningLabel = makeValueLabel(m_content, QStringLiteral("detailsWarningLabel"));
    m_warningLabel->setTextFormat(Qt::RichText);
    layout->addWidget(m_warningLabel);
}

QGroupBox* GrantDetailsPane::createSettingsGroup()
{
    auto* group = new QGroupBox(tr("Grant"), m_content);
    auto* form = new QFormLayout(group);
    makeNarrowFriendly(form);
    m_userLabel = addRow(form, tr("Integration user:"), QStringLiteral("detailsUserLabel"));
    m_environmentLabel = addRow(form, tr("Environment:"), QStringLiteral("detailsEnvironmentLabel"));
    m_tokenUrlLabel = addRow(form, tr("Token URL:"), QStringLiteral("detailsTokenUrlLabel"));
    m_apiVersionLabel = addRow(form, tr("API version:"), QStringLiteral("detailsApiVersionLabel"));
    m_authLabel = addRow(form, tr("Client authentication:"), QStringLiteral("detailsAuthLabel"));
    m_expiryLabel = addRow(form, tr("Grant expires:"), QStringLiteral("detailsExpiryLabel"));
    m_trustLabel = addRow(form, tr("Trusted certificates:"), QStringLiteral("detailsTrustLabel"));
    m_clientIdLabel = addRow(form, tr("Client ID:"), QStringLiteral("detailsClientIdLabel"));
    form->addRow(tr("Client Secret:"), createSecretRow(group));
    m_notesLabel = addRow(form, tr("Notes:"), QStringLiteral("detailsNotesLabel"));
    m_allowlistLabel = addRow(form, tr("IP allowlist:"), QStringLiteral("detailsAllowlistLabel"));
    return group;
}

QWidget* GrantDetailsPane::createSecretRow(QWidget* parent)
{
    auto* row = new QWidget(parent);
    auto* rowLayout = new QHBoxLayout(row);
    rowLayout->setContentsMargins(0, 0, 0, 0);
    m_secretLabel = makeValueLabel(row, QStringLiteral("detailsSecretLabel"));
    // Not selectable: a secret copied from here would bypass the clipboard guard (no history hint, no clearing).
    m_secretLabel->setTextInteractionFlags(Qt::NoTextInteraction);
    m_secretLabel->setAccessibleName(tr("Client Secret"));
    m_revealButton = new QPushButton(tr("&Reveal"), row);
    m_revealButton->setObjectName(QStringLiteral("revealSecretButton"));
    m_revealButton->setCheckable(true);
    m_revealButton->setAccessibleName(tr("Reveal the Client ID and Secret"));
    m_revealButton->setToolTip(
        tr("Reads the keychain and shows the full Client ID and the secret for %1 seconds.").arg(RevealSeconds));
    rowLayout->addWidget(m_secretLabel, 1);
    rowLayout->addWidget(m_revealButton);
    connect(m_revealButton, &QPushButton::toggled, this, [this](bool checked) {
        if (checked)
            emit revealSecretRequested();
        else
            hideSecret();
    });
    return row;
}

QGroupBox* GrantDetailsPane::createLastTestGroup()
{
    m_lastTestGroup = new QGroupBox(tr("Last test"), m_content);
    m_lastTestGroup->setObjectName(QStringLiteral("lastTestGroup"));
    auto* testLayout = new QVBoxLayout(m_lastTestGroup);
    m_outcomeLabel = makeValueLabel(m_lastTestGroup, QStringLiteral("detailsOutcomeLabel"));
    m_outcomeLabel->setTextFormat(Qt::RichText);
    m_adviceLabel = makeValueLabel(m_lastTestGroup, QStringLiteral("detailsAdviceLabel"));
    testLayout->addWidget(m_outcomeLabel);
    testLayout->addWidget(m_adviceLabel);
    m_reenterButton = new QPushButton(tr("E&nter the Client ID and Secret…"), m_lastTestGroup);
    m_reenterButton->setObjectName(QStringLiteral("reenterCredentialsButton"));
    m_reenterButton->setAccessibleName(tr("Enter the Client ID and Secret again"));
    m_reenterButton->hide();
    connect(m_reenterButton, &QPushButton::clicked, this, &GrantDetailsPane::reenterCredentialsRequested);
    testLayout->addWidget(m_reenterButton, 0, Qt::AlignLeft);
    // Right under the refusal that names the fingerprint.
    testLayout->addWidget(createTrustCertificateButton(m_lastTestGroup), 0, Qt::AlignLeft);
    testLayout->addWidget(createScopeTree(m_lastTestGroup));

    auto* testForm = new QFormLayout;
    makeNarrowFriendly(testForm);
    m_tokenLabel = addRow(testForm, tr("Token:"), QStringLiteral("detailsTokenLabel"));
    m_countdownLabel = addRow(testForm, tr("Expires in:"), QStringLiteral("detailsCountdownLabel"));
    m_httpLabel = addRow(testForm, tr("Answer:"), QStringLiteral("detailsHttpLabel"));
    m_certificateLabel = addRow(testForm, tr("Server certificate:"), QStringLiteral("detailsCertificateLabel"));
    testLayout->addLayout(testForm);
    return m_lastTestGroup;
}

QPushButton* GrantDetailsPane::createTrustCertificateButton(QWidget* parent)
{
    m_trustCertificateButton = new QPushButton(tr("Tr&ust This Certificate…"), parent);
    m_trustCertificateButton->setObjectName(QStringLiteral("trustCertificateButton"));
    m_trustCertificateButton->setAccessibleName(tr("Trust the certificate the server presented"));
    m_trustCertificateButton->setToolTip(
        tr("Pin this certificate for the grant, or save it as the grant's CA file: only after its owner confirmed it"));
    m_trustCertificateButton->hide();
    connect(m_trustCertificateButton, &QPushButton::clicked, this,
            [this] { emit trustCertificateRequested(m_untrustedCertificate); });
    return m_trustCertificateButton;
}

QTreeWidget* GrantDetailsPane::createScopeTree(QWidget* parent)
{
    m_scopeTree = new QTreeWidget(parent);
    m_scopeTree->setObjectName(QStringLiteral("scopeComparisonTree"));
    m_scopeTree->setAccessibleName(tr("Requested and granted scopes"));
    m_scopeTree->setHeaderLabels({tr("Scope"), tr("Requested"), tr("Granted")});
    m_scopeTree->setRootIsDecorated(false);
    m_scopeTree->setSelectionMode(QAbstractItemView::NoSelection);
    m_scopeTree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_scopeTree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_scopeTree->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_scopeTree->setUniformRowHeights(true);
    return m_scopeTree;
}

QGroupBox* GrantDetailsPane::createHistoryGroup()
{
    auto* group = new QGroupBox(tr("Test history"), m_content);
    auto* historyLayout = new QVBoxLayout(group);
    m_historyTree = new QTreeWidget(group);
    m_historyTree->setObjectName(QStringLiteral("historyTree"));
    m_historyTree->setAccessibleName(tr("Test history"));
    m_historyTree->setHeaderLabels({tr("When"), tr("Result"), tr("HTTP"), tr("Time"), tr("Reason")});
    m_historyTree->setRootIsDecorated(false);
    m_historyTree->header()->setStretchLastSection(true);
    m_historyTree->setMinimumHeight(120);
    historyLayout->addWidget(m_historyTree);
    return group;
}

void GrantDetailsPane::fitScopeTree()
{
    // As tall as its rows (a few scopes), never a big empty box.
    const int rows = std::max(1, m_scopeTree->topLevelItemCount());
    const int rowHeight = std::max(m_scopeTree->sizeHintForRow(0), fontMetrics().height() + 8);
    m_scopeTree->setFixedHeight(m_scopeTree->header()->sizeHint().height() + rows * rowHeight +
                                2 * m_scopeTree->frameWidth() + 2);
    m_scopeTree->setVisible(m_scopeTree->topLevelItemCount() > 0);
}

WrappingLabel* GrantDetailsPane::addRow(QFormLayout* form, const QString& label, const QString& objectName)
{
    auto* value = makeValueLabel(form->parentWidget() ? form->parentWidget() : m_content, objectName);
    value->setAccessibleName(QString(label).remove(QLatin1Char(':')));
    form->addRow(label, value);
    return value;
}

std::optional<QUuid> GrantDetailsPane::grantId() const
{
    return m_grant ? std::optional<QUuid>(m_grant->id) : std::nullopt;
}

void GrantDetailsPane::showGrant(const std::optional<Grant>& grant, int warningDays)
{
    const bool sameGrant = grant && m_grant && grant->id == m_grant->id;
    if (!sameGrant) {
        hideSecret();
        m_lastResult.reset();
        m_tokenExpiresAt = {};
    }
    m_grant = grant;
    m_warningDays = warningDays;
    rebuild();
}

void GrantDetailsPane::setLastResult(const std::optional<GrantTestResult>& result)
{
    m_lastResult = result;
    if (m_lastResult && m_lastResult->hasToken()) {
        // The pane shows facts about the token, never the token: drop it from our copy.
        IssuedToken stripped = m_lastResult->token->token();
        stripped.accessToken.clear();
        m_lastResult->token = TokenResult::success(m_lastResult->token->response(), stripped);
    }
    fillLastTest();
}

void GrantDetailsPane::setTokenExpiry(const QDateTime& expiresAt)
{
    m_tokenExpiresAt = expiresAt;
    refreshTimes();
}

void GrantDetailsPane::setRevealedCredentials(const QString& clientId, const QString& secret)
{
    m_clientIdLabel->setValue(clientId);
    m_secretLabel->setValue(secret);
    m_secretLabel->setAccessibleDescription(tr("The Client Secret is shown"));
    m_revealButton->blockSignals(true);
    m_revealButton->setChecked(true);
    m_revealButton->setText(tr("&Hide"));
    m_revealButton->blockSignals(false);
    m_hideSecretTimer.start();
}

bool GrantDetailsPane::wantsSecretShown() const
{
    return m_revealButton->isChecked();
}

void GrantDetailsPane::hideSecret()
{
    m_hideSecretTimer.stop();
    // The full Client ID goes with the secret: the list and this pane otherwise show only its last characters.
    m_clientIdLabel->setValue(m_grant && !m_grant->clientIdHint.isEmpty() ? m_grant->clientIdHint : tr("(unknown)"));
    m_secretLabel->setValue(QStringLiteral("••••••••"));
    m_secretLabel->setAccessibleDescription(tr("The Client Secret is hidden"));
    m_revealButton->blockSignals(true);
    m_revealButton->setChecked(false);
    m_revealButton->setText(tr("&Reveal"));
    m_revealButton->blockSignals(false);
}

void GrantDetailsPane::refreshTimes()
{
    if (!m_grant)
        return;
    const QDateTime now = m_clock.now();
    // "Passed 3 min ago" moves on with the clock.
    const TestRecord* record = m_grant->lastTest();
    const QDateTime testedAt = m_lastResult ? m_lastResult->testedAt : record ? record->testedAt : QDateTime();
    const QString age = describeAge(testedAt, now);
    if (age != m_lastTestAge) {
        m_lastTestAge = age;
        fillLastTest();
    }
    if (m_tokenExpiresAt.isValid() && now < m_tokenExpiresAt)
        m_countdownLabel->setValue(tr("%1 (live token in memory)").arg(describeDuration(now.secsTo(m_tokenExpiresAt))));
    else if (m_tokenExpiresAt.isValid())
        m_countdownLabel->setValue(tr("expired"));
    else
        m_countdownLabel->setValue(tr("no live token"));
}

void GrantDetailsPane::rebuild()
{
    const bool hasGrant = m_grant.has_value();
    m_emptyLabel->setVisible(!hasGrant);
    m_content->parentWidget()->parentWidget()->setVisible(hasGrant); // the scroll area
    if (!hasGrant)
        return;
    const Grant& grant = *m_grant;

    m_titleLabel->setValue(grant.name);
    m_userLabel->setValue(grant.integrationUser.isEmpty() ? tr("(not entered)") : grant.integrationUser);
    m_environmentLabel->setValue(grant.environmentLabel());
    m_tokenUrlLabel->setValue(grant.tokenUrl().toString());
    m_apiVersionLabel->setValue(Environment::versionString(grant.apiVersion));
    m_authLabel->setValue(grant.authMethod == ClientAuthMethod::HttpBasic ? tr("HTTP Basic header")
                                                                          : tr("In the form body"));
    const ExpiryStatus expiry = ExpiryStatus::evaluate(grant.expiresOn, m_clock.today(), m_warningDays);
    m_expiryLabel->setValue(
        grant.expiresOn
            ? tr("%1 (%2)").arg(QLocale().toString(*grant.expiresOn, QLocale::LongFormat), expiry.describe())
            : expiry.describe());
    QPalette expiryPalette = palette();
    if (expiry.state() == ExpiryState::Expired || expiry.state() == ExpiryState::Expiring)
        expiryPalette.setColor(QPalette::WindowText,
                               StatusPalette::color(StatusPalette::toneFor(expiry.state()), palette()));
    m_expiryLabel->setPalette(expiryPalette);
    m_trustLabel->setValue(trustDescription(grant.trust));
    // The same grant shown again (a save, a reload) keeps a revealed secret, and a reveal still reading the keychain.
    if (!m_hideSecretTimer.isActive() && !m_revealButton->isChecked())
        hideSecret();
    m_notesLabel->setValue(grant.notes.isEmpty() ? tr("(none)") : grant.notes);
    m_allowlistLabel->setValue(grant.ipAllowlistNote.isEmpty() ? tr("(not noted)") : grant.ipAllowlistNote);

    QStringList warnings;
    if (const QString notice = Environment::deprecationNotice(grant.apiVersion); !notice.isEmpty())
        warnings.append(notice);
    if (expiry.state() == ExpiryState::Expired)
        warnings.append(tr("This grant has expired: create a new one in Workiva and store its secret."));
    else if (expiry.state() == ExpiryState::Expiring)
        warnings.append(expiringWarning(expiry.daysLeft().value_or(0)));
    m_warningLabel->setVisible(!warnings.isEmpty());
    QStringList items;
    for (const QString& warning : std::as_const(warnings))
        items.append(QStringLiteral("⚠ ") + htmlEscaped(warning));
    m_warningLabel->setText(items.join(QStringLiteral("<br>")));

    fillLastTest();
    fillHistory();
    refreshTimes();
}

void GrantDetailsPane::clearLastTest()
{
    m_scopeTree->clear();
    m_scopeTree->hide();
    m_adviceLabel->clear();
    m_adviceLabel->hide();
    m_reenterButton->hide();
    m_trustCertificateButton->hide();
    m_untrustedCertificate = {};
    m_tokenLabel->setValue(QStringLiteral("–"));
    m_httpLabel->setValue(QStringLiteral("–"));
    m_certificateLabel->setValue(QStringLiteral("–"));
}

void GrantDetailsPane::fillLastTest()
{
    if (!m_grant)
        return;
    clearLastTest();
    const TestRecord* record = m_grant->lastTest();
    if (!m_lastResult && !record) {
        m_outcomeLabel->setText(tr("Not tested yet. Press Test (Ctrl+T) to fetch a token."));
        fillScopes(m_grant->requestedScopes, std::nullopt, TestVerdict());
        return;
    }
    // This session's result knows more (the certificate, the token's facts); the history knows the rest.
    const TestVerdict verdict = m_lastResult ? m_lastResult->verdict() : record->details();
    showVerdict(verdict, m_lastResult ? m_lastResult->testedAt : record->testedAt);
    const ScopeSet requested =
        verdict.requestedScopes().isEmpty() ? m_grant->requestedScopes : verdict.requestedScopes();
    if (m_lastResult) {
        fillScopes(requested,
                   m_lastResult->hasToken() ? std::optional(m_lastResult->token->token().scope.granted) : std::nullopt,
                   verdict);
        showResponse(*m_lastResult);
        return;
    }
    const bool tokenIssued = record->verdict == Verdict::Passed || record->verdict == Verdict::ScopeMissing;
    fillScopes(requested, tokenIssued ? std::optional(record->grantedScope) : std::nullopt, verdict);
    if (record->httpStatus > 0)
        m_httpLabel->setValue(tr("HTTP %1 in %2 ms").arg(record->httpStatus).arg(record->roundTripMs));
    m_certificateLabel->setValue(tr("Test again to see the server's certificate."));
}

void GrantDetailsPane::showVerdict(const TestVerdict& verdict, const QDateTime& testedAt)
{
    const QString age = describeAge(testedAt, m_clock.now());
    QString label = verdict.label();
    if (!label.isEmpty())
        label[0] = label.at(0).toUpper();
    QString text = QStringLiteral("<span style=\"color:%1\"><b>%2</b></span>")
                       .arg(StatusPalette::color(StatusPalette::toneFor(verdict.kind()), palette()).name(),
                            tr("%1 %2").arg(label, age).toHtmlEscaped());
    if (!verdict.isPass())
        text += QStringLiteral("<br>") + verdict.summary().toHtmlEscaped();
    m_outcomeLabel->setText(text);
    if (const QString advice = verdict.advice(); !advice.isEmpty()) {
        m_adviceLabel->setText(tr("What to do: %1").arg(advice)); // prose: it wraps between words
        m_adviceLabel->show();
    }
}

void GrantDetailsPane::fillScopes(const ScopeSet& requested, const std::optional<ScopeSet>& granted,
                                  const TestVerdict& verdict)
{
    // Every requested scope, also when the test failed: that is what the administrator compares with Workiva.
    const ScopeSet refused = verdict.kind() == Verdict::Refused ? verdict.missingScopes() : ScopeSet();
    for (const QString& scope : requested.scopes()) {
        QString state = tr("not known");
        StatusPalette::Tone tone = StatusPalette::Tone::Neutral;
        if (granted) {
            const bool yes = granted->contains(scope) || verdict.isPass();
            state = yes ? tr("yes") : tr("NO");
            tone = yes ? StatusPalette::Tone::Good : StatusPalette::Tone::Bad;
        } else if (refused.contains(scope)) {
            state = tr("refused");
            tone = StatusPalette::Tone::Bad;
        }
        auto* item = new QTreeWidgetItem(m_scopeTree, {scope, tr("yes"), state});
        if (tone != StatusPalette::Tone::Good && tone != StatusPalette::Tone::Neutral)
            item->setForeground(2, StatusPalette::color(tone, palette()));
    }
    if (granted) {
        const ScopeSet extra = granted->minus(requested);
        for (const QString& scope : extra.scopes()) {
            auto* item = new QTreeWidgetItem(m_scopeTree, {scope, tr("no"), tr("yes (extra)")});
            item->setForeground(2, StatusPalette::color(StatusPalette::Tone::Warning, palette()));
        }
    }
    fitScopeTree();
}

void GrantDetailsPane::showResponse(const GrantTestResult& result)
{
    m_reenterButton->setVisible(result.vaultError.code == VaultErrorCode::NotFound);
    if (!result.token)
        return;
    const ResponseInfo& response = result.token->response();
    if (response.httpStatus > 0)
        m_httpLabel->setValue(tr("HTTP %1 in %2 ms").arg(response.httpStatus).arg(response.roundTripMs));
    showCertificate(result);
    if (!result.hasToken())
        return;
    const IssuedToken& token = result.token->token();
    QStringList notes;
    if (token.scope.grantedAssumedFromRequest && !token.scope.requested.isEmpty())
        notes.append(tr("The server did not list the scopes; by OAuth2 rules it granted what was requested."));
    notes += token.warnings;
    if (const QString notice = response.deprecationNotice(); !notice.isEmpty())
        notes.append(notice);
    if (!notes.isEmpty()) {
        QString text = m_outcomeLabel->text();
        for (const QString& note : std::as_const(notes))
            text += QStringLiteral("<br>⚠ ") + note.toHtmlEscaped();
        m_outcomeLabel->setText(text);
    }
    m_tokenLabel->setValue(
        token.lifetimeAssumed()
            ? tr("%1, lifetime not given (taken as %2)").arg(token.tokenType, describeDuration(token.lifetimeSeconds()))
            : tr("%1, lifetime %2").arg(token.tokenType, describeDuration(token.lifetimeSeconds())));
}

void GrantDetailsPane::showCertificate(const GrantTestResult& result)
{
    const ResponseInfo& response = result.token->response();
    const TokenError& error = result.token->error();
    const CertificateInfo& certificate =
        response.serverCertificate.isNull() ? error.certificate : response.serverCertificate;
    if (certificate.isNull())
        return;
    m_certificateLabel->setValue(tr("%1\nissued by %2\nvalid %3 to %4\nSHA-256 %5")
                                     .arg(certificate.subject, certificate.issuer, localTime(certificate.notBefore),
                                          localTime(certificate.notAfter),
                                          CertificateInfo::formatFingerprint(certificate.sha256)));
    // Refused for its certificate: trusting the one it showed is the way on, if its owner confirms it.
    const bool refusedCertificate = !result.token->isSuccess() && (error.code == TokenErrorCode::TlsError ||
                                                                   error.code == TokenErrorCode::CertificateChanged);
    if (refusedCertificate && !certificate.pem.isEmpty()) {
        m_untrustedCertificate = certificate;
        m_trustCertificateButton->show();
    }
}

void GrantDetailsPane::fillHistory()
{
    m_historyTree->clear();
    if (!m_grant)
        return;
    // Newest first: that is what people look for.
    for (auto it = m_grant->history.crbegin(); it != m_grant->history.crend(); ++it) {
        const TestVerdict verdict = it->details();
        auto* item = new QTreeWidgetItem(m_historyTree);
        item->setText(0, localTime(it->testedAt));
        item->setText(1, verdict.label());
        item->setIcon(1, StatusPalette::icon(StatusPalette::toneFor(verdict.kind()), palette()));
        item->setText(2, it->httpStatus > 0 ? QString::number(it->httpStatus) : QStringLiteral("–"));
        item->setText(3, it->roundTripMs >= 0 ? tr("%1 ms").arg(it->roundTripMs) : QStringLiteral("–"));
        item->setText(4, verdict.isPass() ? it->grantedScope.toString() : verdict.summary());
        item->setToolTip(4, item->text(4));
    }
    for (int column = 0; column < 4; ++column)
        m_historyTree->resizeColumnToContents(column);
}

} // namespace gk
