// The selected grant in full: its settings, the masked Client ID, the secret behind a reveal toggle, the last
// test (scopes requested against granted, token lifetime, certificate, error and advice) and the history.
#pragma once

#include "core/batch/granttestresult.h"
#include "core/grant/grant.h"

#include <QDateTime>
#include <QTimer>
#include <QWidget>

#include <optional>

class QFormLayout;
class QGroupBox;
class QLabel;
class QPushButton;
class QTreeWidget;
class QVBoxLayout;

namespace gk {

class Clock;
class WrappingLabel;

class GrantDetailsPane : public QWidget
{
    Q_OBJECT

public:
    static constexpr int RevealSeconds = 30;

    explicit GrantDetailsPane(const Clock& clock, QWidget* parent = nullptr);

    void showGrant(const std::optional<Grant>& grant, int warningDays);
    std::optional<QUuid> grantId() const;
    // This session's last test of the grant shown (the token itself is never kept here).
    void setLastResult(const std::optional<GrantTestResult>& result);
    // The live token's end, for the countdown; invalid when there is none.
    void setTokenExpiry(const QDateTime& expiresAt);
    // Shows the Client ID and Secret the window read from the keychain, and hides them again after RevealSeconds.
    void setRevealedCredentials(const QString& clientId, const QString& secret);
    void hideSecret();
    // True while the user still wants the secret shown (the reveal button is down).
    bool wantsSecretShown() const;
    // Moves the countdowns on; the window calls it once a second.
    void refreshTimes();

signals:
    void revealSecretRequested();
    // The keychain has no entry for this grant: the user wants to enter the Client ID and Secret again.
    void reenterCredentialsRequested();
    // The last test failed on the server's certificate: the user wants to trust the one it presented.
    void trustCertificateRequested(const gk::CertificateInfo& certificate);

private:
    void createTitle(QVBoxLayout* layout);
    QGroupBox* createSettingsGroup();
    QWidget* createSecretRow(QWidget* parent);
    QPushButton* createTrustCertificateButton(QWidget* parent);
    QGroupBox* createLastTestGroup();
    QTreeWidget* createScopeTree(QWidget* parent);
    QGroupBox* createHistoryGroup();
    void rebuild();
    void clearLastTest();
    void fillLastTest();
    void showVerdict(const TestVerdict& verdict, const QDateTime& testedAt);
    // Requested against granted; granted is unknown (nullopt) when no token was issued.
    void fillScopes(const ScopeSet& requested, const std::optional<ScopeSet>& granted, const TestVerdict& verdict);
    void showResponse(const GrantTestResult& result);
    void fillHistory();
    void fitScopeTree();
    void showCertificate(const GrantTestResult& result);
    WrappingLabel* addRow(QFormLayout* form, const QString& label, const QString& objectName);

    const Clock& m_clock;
    std::optional<Grant> m_grant;
    std::optional<GrantTestResult> m_lastResult;
    QDateTime m_tokenExpiresAt;
    int m_warningDays = 30;
    QString m_lastTestAge; // the wording of the last test's age, to refresh it when it changes

    QLabel* m_emptyLabel = nullptr;
    QWidget* m_content = nullptr;
    WrappingLabel* m_titleLabel = nullptr;
    QLabel* m_warningLabel = nullptr;
    WrappingLabel* m_userLabel = nullptr;
    WrappingLabel* m_environmentLabel = nullptr;
    WrappingLabel* m_tokenUrlLabel = nullptr;
    WrappingLabel* m_apiVersionLabel = nullptr;
    WrappingLabel* m_authLabel = nullptr;
    WrappingLabel* m_expiryLabel = nullptr;
    WrappingLabel* m_trustLabel = nullptr;
    WrappingLabel* m_clientIdLabel = nullptr;
    WrappingLabel* m_secretLabel = nullptr;
    QPushButton* m_revealButton = nullptr;
    WrappingLabel* m_notesLabel = nullptr;
    WrappingLabel* m_allowlistLabel = nullptr;

    QGroupBox* m_lastTestGroup = nullptr;
    QLabel* m_outcomeLabel = nullptr;
    WrappingLabel* m_adviceLabel = nullptr;
    QPushButton* m_reenterButton = nullptr;
    QPushButton* m_trustCertificateButton = nullptr;
    CertificateInfo m_untrustedCertificate; // what the last test refused, for "Trust this certificate…"
    QTreeWidget* m_scopeTree = nullptr;
    WrappingLabel* m_tokenLabel = nullptr;
    WrappingLabel* m_countdownLabel = nullptr;
    WrappingLabel* m_httpLabel = nullptr;
    WrappingLabel* m_certificateLabel = nullptr;
    QTreeWidget* m_historyTree = nullptr;

    QTimer m_hideSecretTimer;
};

} // namespace gk
