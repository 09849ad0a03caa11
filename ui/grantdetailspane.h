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
    // Shows the secret the window read from the keychain, and hides it again after RevealSeconds.
    void setRevealedSecret(const QString& secret);
    void hideSecret();
    // True while the user still wants the secret shown (the reveal button is down).
    bool wantsSecretShown() const;
    // Moves the countdowns on; the window calls it once a second.
    void refreshTimes();

signals:
    void revealSecretRequested();
    // The keychain has no entry for this grant: the user wants to enter the Client ID and Secret again.
    void reenterCredentialsRequested();

private:
    void createTitle(QVBoxLayout* layout);
    QGroupBox* createSettingsGroup();
    QWidget* createSecretRow(QWidget* parent);
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
    QLabel* addRow(QFormLayout* form, const QString& label, const QString& objectName);

    const Clock& m_clock;
    std::optional<Grant> m_grant;
    std::optional<GrantTestResult> m_lastResult;
    QDateTime m_tokenExpiresAt;
    int m_warningDays = 30;
    QString m_lastTestAge; // the wording of the last test's age, to refresh it when it changes

    QLabel* m_emptyLabel = nullptr;
    QWidget* m_content = nullptr;
    QLabel* m_titleLabel = nullptr;
    QLabel* m_warningLabel = nullptr;
    QLabel* m_userLabel = nullptr;
    QLabel* m_environmentLabel = nullptr;
    QLabel* m_tokenUrlLabel = nullptr;
    QLabel* m_apiVersionLabel = nullptr;
    QLabel* m_authLabel = nullptr;
    QLabel* m_expiryLabel = nullptr;
    QLabel* m_trustLabel = nullptr;
    QLabel* m_clientIdLabel = nullptr;
    QLabel* m_secretLabel = nullptr;
    QPushButton* m_revealButton = nullptr;
    QLabel* m_notesLabel = nullptr;
    QLabel* m_allowlistLabel = nullptr;

    QGroupBox* m_lastTestGroup = nullptr;
    QLabel* m_outcomeLabel = nullptr;
    QLabel* m_adviceLabel = nullptr;
    QPushButton* m_reenterButton = nullptr;
    QTreeWidget* m_scopeTree = nullptr;
    QLabel* m_tokenLabel = nullptr;
    QLabel* m_countdownLabel = nullptr;
    QLabel* m_httpLabel = nullptr;
    QLabel* m_certificateLabel = nullptr;
    QTreeWidget* m_historyTree = nullptr;

    QTimer m_hideSecretTimer;
};

} // namespace gk
