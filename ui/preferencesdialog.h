// Edits the user's preferences (clipboard delay, expiry warning window, defaults for new grants, request timeout).
#pragma once

#include <QDialog>
#include <QList>

class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QSpinBox;

namespace gk {

class Preferences;

class PreferencesDialog : public QDialog
{
    Q_OBJECT

public:
    // Reads the current values from preferences; writes them back only when the user presses OK.
    explicit PreferencesDialog(Preferences& preferences, QWidget* parent = nullptr);

    void accept() override;

private:
    void buildControls();
    // Each builds one group of fields and appends its labels, which buildControls() lines up.
    QGroupBox* buildGrantListGroup(QList<QLabel*>& labels);
    QGroupBox* buildDefaultsGroup(QList<QLabel*>& labels);
    QGroupBox* buildTokensGroup(QList<QLabel*>& labels);
    void load();
    void save();
    // Labels a field the same way for sight and for assistive technology: a label with a mnemonic as its buddy,
    // an accessible name, a tooltip that explains.
    QLabel* addField(QFormLayout* form, const QString& labelText, QWidget* field, const QString& accessibleName,
                     const QString& toolTip);

    Preferences& m_preferences;
    QSpinBox* m_warningDaysSpin = nullptr;
    QComboBox* m_defaultRegionCombo = nullptr;
    QComboBox* m_defaultApiVersionCombo = nullptr;
    QSpinBox* m_timeoutSpin = nullptr;
    QSpinBox* m_clipboardDelaySpin = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace gk
