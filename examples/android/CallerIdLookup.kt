// Lookup in the Android dataset from `amo-callerid build --platform android`
// (android/callerid.sqlite; schema in the README, "Dataset format"). Ship it as an asset and copy it
// into the app's databases directory, or download it and check its sha256 from manifest.json.
//
// Rule: the incoming number normalized to E.164 with the network's country, exact match first;
// otherwise the last 10 digits (the whole national number when shorter) against the indexed
// `suffix` column, accepted only when exactly one entry matches and, when the caller's country
// is known, only from that country. Call from CallScreeningService.onScreenCall: one indexed
// query each, well inside Telecom's 5-second screening deadline.
package com.example.crmcallerid

import android.database.sqlite.SQLiteDatabase
import android.telephony.PhoneNumberUtils

class CallerIdLookup(private val db: SQLiteDatabase) {
    data class Hit(val e164: Long, val nsn: String, val label: String, val name: String, val company: String, val contactId: Long) {
        /** Country calling code: the E.164 digits in front of the national significant number. */
        val countryCode: String get() = e164.toString().dropLast(nsn.length)
    }

    fun lookup(incoming: String, networkCountryIso: String): Hit? {
        val e164 = PhoneNumberUtils.formatNumberToE164(incoming, networkCountryIso.uppercase())
        val callerDigits = e164?.removePrefix("+")
        val digits = callerDigits ?: (PhoneNumberUtils.stripSeparators(incoming) ?: return null).filter { it.isDigit() }
        if (digits.isEmpty()) return null

        if (callerDigits != null) query("e164 = ?", callerDigits).singleOrNull()?.let { return it }

        val key = if (digits.length > SUFFIX_DIGITS) digits.takeLast(SUFFIX_DIGITS) else digits
        // With a known caller country, a hit from another country is a coincidence, not a match.
        val hits = query("suffix = ?", key).filter { callerDigits == null || callerDigits.startsWith(it.countryCode) }
        return hits.singleOrNull()
    }

    // Rows sharing a 10-digit suffix are few (one per country at most, in practice), so no LIMIT:
    // the country filter must see them all before deciding the match is unique.
    private fun query(where: String, arg: String): List<Hit> =
        db.rawQuery("SELECT e164, nsn, label, name, company, contact_id FROM entries WHERE $where", arrayOf(arg)).use { c ->
            buildList {
                while (c.moveToNext()) add(Hit(c.getLong(0), c.getString(1), c.getString(2), c.getString(3), c.getString(4), c.getLong(5)))
            }
        }

    companion object {
        const val SUFFIX_DIGITS = 10
    }
}
