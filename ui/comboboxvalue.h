// Combo boxes whose items carry an enum value as their data: read and select by value, not by index.
#pragma once

#include <QComboBox>

namespace gk {

template <typename Enum>
Enum comboValue(const QComboBox* combo)
{
    return static_cast<Enum>(combo->currentData().toInt());
}

template <typename Enum>
void selectComboValue(QComboBox* combo, Enum value)
{
    const int index = combo->findData(static_cast<int>(value));
    if (index >= 0)
        combo->setCurrentIndex(index);
}

} // namespace gk
