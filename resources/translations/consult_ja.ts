<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
<context>
    <name>AuditPage</name>
    <message>
        <source>records</source>
        <translation>記録</translation>
    </message>
    <message>
        <source>audit chain</source>
        <translation>監査チェーン</translation>
    </message>
    <message>
        <source>re-confirmations</source>
        <translation>同意の再確認</translation>
    </message>
    <message>
        <source>treatment charts</source>
        <translation>施術チャート</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>監査ログ</translation>
    </message>
    <message>
        <source>User</source>
        <translation>ユーザー</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Patient number or name</source>
        <translation>患者番号または氏名</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>イベント</translation>
    </message>
    <message>
        <source>Any event (consent. = every consent event)</source>
        <translation>すべてのイベント（consent. = 同意に関するすべてのイベント）</translation>
    </message>
    <message>
        <source>&amp;All dates</source>
        <translation>全期間(&amp;A)</translation>
    </message>
    <message>
        <source>From</source>
        <translation>開始日</translation>
    </message>
    <message>
        <source>To</source>
        <translation>終了日</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>検索(&amp;S)</translation>
    </message>
    <message>
        <source>Us&amp;er</source>
        <translation>ユーザー(&amp;E)</translation>
    </message>
    <message>
        <source>Pa&amp;tient</source>
        <translation>患者(&amp;T)</translation>
    </message>
    <message>
        <source>E&amp;vent</source>
        <translation>イベント(&amp;V)</translation>
    </message>
    <message>
        <source>Fr&amp;om</source>
        <translation>開始日(&amp;O)</translation>
    </message>
    <message>
        <source>U&amp;ntil</source>
        <translation>終了日(&amp;N)</translation>
    </message>
    <message>
        <source>Audit entries</source>
        <translation>監査エントリ</translation>
    </message>
    <message>
        <source>Integrity check progress</source>
        <translation>整合性チェックの進行状況</translation>
    </message>
    <message>
        <source>Integrity report</source>
        <translation>整合性レポート</translation>
    </message>
    <message>
        <source>Run the integrity check to see whether any entry or record has changed.</source>
        <translation>整合性チェックを実行すると、エントリや記録が改変されていないかを確認できます。</translation>
    </message>
    <message>
        <source>Audit log status</source>
        <translation>監査ログの状態</translation>
    </message>
    <message>
        <source>E&amp;xport CSV…</source>
        <translation>CSV を書き出す(&amp;X)…</translation>
    </message>
    <message>
        <source>Integrity chec&amp;k</source>
        <translation>整合性チェック(&amp;K)</translation>
    </message>
    <message>
        <source>Any event</source>
        <translation>すべてのイベント</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>すべてのユーザー</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>検索中…</translation>
    </message>
    <message>
        <source>%1 matching entries; %2 shown (scroll down for more)</source>
        <translation>該当 %1 件、うち %2 件を表示中（下にスクロールすると続きを表示）</translation>
    </message>
    <message>
        <source>%1 matching entries</source>
        <translation>該当 %1 件</translation>
    </message>
    <message>
        <source>Export the audit log</source>
        <translation>監査ログを書き出す</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV ファイル (*.csv)</translation>
    </message>
    <message>
        <source>Exported %1 entries to %2</source>
        <translation>%1 件を %2 に書き出しました</translation>
    </message>
    <message>
        <source>%1: %2 of %3</source>
        <translation>%1: %3 件中 %2 件</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>書き出し中…</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>チェック中…</translation>
    </message>
    <message>
        <source>Everything holds</source>
        <translation>問題はありません</translation>
    </message>
    <message>
        <source>Problems found</source>
        <translation>問題が見つかりました</translation>
    </message>
    <message>
        <source>The check could not run: </source>
        <translation>チェックを実行できませんでした: </translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <source>Time</source>
        <translation>日時</translation>
    </message>
    <message>
        <source>User</source>
        <translation>ユーザー</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>端末</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>イベント</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>記録</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>詳細</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change your password</source>
        <translation>パスワードの変更</translation>
    </message>
    <message>
        <source>At least %1 characters, not your username, and hard to guess: several uncommon words are best.</source>
        <translation>%1 文字以上で、ユーザー名を含まず、推測されにくいものにしてください。あまり使われない単語をいくつか組み合わせるのが最適です。</translation>
    </message>
    <message>
        <source>A manager has reset your password. Choose a new one to continue.</source>
        <translation>管理者がパスワードをリセットしました。続けるには新しいパスワードを設定してください。</translation>
    </message>
    <message>
        <source>Choose a new password.</source>
        <translation>新しいパスワードを設定してください。</translation>
    </message>
    <message>
        <source>C&amp;urrent password</source>
        <translation>現在のパスワード(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;New password</source>
        <translation>新しいパスワード(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Repeat new password</source>
        <translation>新しいパスワード（確認）(&amp;R)</translation>
    </message>
    <message>
        <source>Patient mode P&amp;IN…</source>
        <translation>患者モードの PIN(&amp;I)…</translation>
    </message>
    <message>
        <source>The two new passwords differ.</source>
        <translation>入力した2つの新しいパスワードが一致しません。</translation>
    </message>
</context>
<context>
    <name>ChartPanel</name>
    <message>
        <source>Treatment status</source>
        <translation>施術の状況</translation>
    </message>
    <message>
        <source>Product:</source>
        <translation>製品:</translation>
    </message>
    <message>
        <source>Lot used</source>
        <translation>使用したロット</translation>
    </message>
    <message>
        <source>Why another lot</source>
        <translation>別のロットを使う理由</translation>
    </message>
    <message>
        <source>Why another lot than the planned one</source>
        <translation>計画と異なるロットを使う理由</translation>
    </message>
    <message>
        <source>&amp;Lot used:</source>
        <translation>使用したロット(&amp;L):</translation>
    </message>
    <message>
        <source>Treated areas</source>
        <translation>施術部位</translation>
    </message>
    <message>
        <source>For example: forehead, glabella, crow&apos;s feet</source>
        <translation>例: 額、眉間、目尻</translation>
    </message>
    <message>
        <source>&amp;Areas:</source>
        <translation>部位(&amp;A):</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>メモ</translation>
    </message>
    <message>
        <source>N&amp;otes:</source>
        <translation>メモ(&amp;O):</translation>
    </message>
    <message>
        <source>Totals</source>
        <translation>合計</translation>
    </message>
    <message>
        <source>Add &amp;point</source>
        <translation>注入点を追加(&amp;P)</translation>
    </message>
    <message>
        <source>Add point</source>
        <translation>注入点を追加</translation>
    </message>
    <message>
        <source>Addenda</source>
        <translation>追記</translation>
    </message>
    <message>
        <source>P&amp;rint aftercare sheet…</source>
        <translation>アフターケアシートを印刷(&amp;R)…</translation>
    </message>
    <message>
        <source>Print aftercare sheet</source>
        <translation>アフターケアシートを印刷</translation>
    </message>
    <message>
        <source>Sa&amp;ve aftercare sheet as PDF…</source>
        <translation>アフターケアシートを PDF で保存(&amp;V)…</translation>
    </message>
    <message>
        <source>Save aftercare sheet as PDF</source>
        <translation>アフターケアシートを PDF で保存</translation>
    </message>
    <message>
        <source>Add a&amp;ddendum…</source>
        <translation>追記を追加(&amp;D)…</translation>
    </message>
    <message>
        <source>Add addendum</source>
        <translation>追記を追加</translation>
    </message>
    <message>
        <source>&amp;Sign off…</source>
        <translation>施術記録を確定(&amp;S)…</translation>
    </message>
    <message>
        <source>Sign off</source>
        <translation>施術記録を確定</translation>
    </message>
    <message>
        <source>%1 — planned</source>
        <translation>%1 — 計画どおり</translation>
    </message>
    <message>
        <source>%1: signed off by %2 on %3 (seal %4). Read-only: corrections are addenda.</source>
        <translation>%1: %3 に %2 が確定しました（封印 %4）。読み取り専用です。訂正は追記として加えます。</translation>
    </message>
    <message>
        <source>%1: a draft, saved as you go. Click the face to place a point.</source>
        <translation>%1: 下書き（入力のたびに保存されます）。顔の図をクリックすると注入点を置けます。</translation>
    </message>
    <message>
        <source>%1: a draft, saved as you go.</source>
        <translation>%1: 下書き（入力のたびに保存されます）。</translation>
    </message>
    <message>
        <source>%1: a draft, not yet signed off.</source>
        <translation>%1: 下書き（未確定）。</translation>
    </message>
    <message>
        <source>%1, %2: %3</source>
        <translation>%1、%2: %3</translation>
    </message>
    <message>
        <source>Totals: no points yet</source>
        <translation>合計: 注入点はまだありません</translation>
    </message>
    <message>
        <source>%1 %2 (1 point)</source>
        <translation>%1 %2（1 点）</translation>
    </message>
    <message>
        <source>%1 %2 (%3 points)</source>
        <translation>%1 %2（%3 点）</translation>
    </message>
    <message>
        <source>Totals, %1: %2</source>
        <translation>合計（%1）: %2</translation>
    </message>
    <message>
        <source>Sign the treatment off?</source>
        <translation>施術記録を確定しますか？</translation>
    </message>
    <message>
        <source>The chart will be sealed and can no longer be changed: corrections after sign-off are added as addenda.</source>
        <translation>施術チャートは封印され、変更できなくなります。確定後の訂正は追記として加えます。</translation>
    </message>
    <message>
        <source>The correction or note (kept with its time and your name):</source>
        <translation>訂正またはメモ（日時とあなたの名前とともに保存されます）:</translation>
    </message>
    <message>
        <source>Save aftercare sheet</source>
        <translation>アフターケアシートの保存</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF ファイル (*.pdf)</translation>
    </message>
    <message>
        <source>Aftercare sheet saved: %1</source>
        <translation>アフターケアシートを保存しました: %1</translation>
    </message>
    <message>
        <source>Aftercare sheet printed.</source>
        <translation>アフターケアシートを印刷しました。</translation>
    </message>
</context>
<context>
    <name>ComparisonDialog</name>
    <message>
        <source>Compare photos</source>
        <translation>写真の比較</translation>
    </message>
    <message>
        <source>&amp;Area:</source>
        <translation>部位(&amp;A):</translation>
    </message>
    <message>
        <source>&amp;Earlier:</source>
        <translation>前の写真(&amp;E):</translation>
    </message>
    <message>
        <source>&amp;Later:</source>
        <translation>後の写真(&amp;L):</translation>
    </message>
    <message>
        <source>The two photos side by side</source>
        <translation>2 枚の写真を並べて表示</translation>
    </message>
    <message>
        <source>The later photo over the earlier</source>
        <translation>後の写真を前の写真に重ねて表示</translation>
    </message>
    <message>
        <source>Later photo&apos;s &amp;opacity:</source>
        <translation>後の写真の不透明度(&amp;O):</translation>
    </message>
    <message>
        <source>Later photo&apos;s opacity</source>
        <translation>後の写真の不透明度</translation>
    </message>
    <message>
        <source>&amp;Side by side</source>
        <translation>並べて表示(&amp;S)</translation>
    </message>
    <message>
        <source>O&amp;verlay</source>
        <translation>重ねて表示(&amp;V)</translation>
    </message>
    <message>
        <source>Comparison status</source>
        <translation>比較の状況</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message>
        <source>No photos of this area.</source>
        <translation>この部位の写真はありません。</translation>
    </message>
</context>
<context>
    <name>ComplicationDialog</name>
    <message>
        <source>Edit the complication</source>
        <translation>合併症の編集</translation>
    </message>
    <message>
        <source>Record a complication</source>
        <translation>合併症の記録</translation>
    </message>
    <message>
        <source>&amp;Treatment</source>
        <translation>施術(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;What happened</source>
        <translation>発生した事象(&amp;W)</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>詳細</translation>
    </message>
    <message>
        <source>Where, how large, how it looks; what the patient reports</source>
        <translation>部位、大きさ、外観、患者の訴え</translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation>詳細(&amp;D)</translation>
    </message>
    <message>
        <source>Noticed on</source>
        <translation>発見日</translation>
    </message>
    <message>
        <source>&amp;Noticed on</source>
        <translation>発見日(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Severity</source>
        <translation>重症度(&amp;S)</translation>
    </message>
    <message>
        <source>What serious means</source>
        <translation>「重篤」の定義</translation>
    </message>
    <message>
        <source>Action taken</source>
        <translation>行った処置</translation>
    </message>
    <message>
        <source>&amp;Action taken</source>
        <translation>行った処置(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Outcome</source>
        <translation>転帰(&amp;O)</translation>
    </message>
    <message>
        <source>Follow-up on</source>
        <translation>経過観察日</translation>
    </message>
    <message>
        <source>&amp;Follow-up on</source>
        <translation>経過観察日(&amp;F)</translation>
    </message>
</context>
<context>
    <name>ComplicationReportDialog</name>
    <message>
        <source>Report for %1</source>
        <translation>%1 の報告</translation>
    </message>
    <message>
        <source>Copy each field into the scheme&apos;s report form. The report names no patient: the clinic reference leads back to the record.</source>
        <translation>各項目を報告制度の報告様式に写してください。報告に患者の氏名は含まれません。クリニックの参照番号から記録をたどれます。</translation>
    </message>
    <message>
        <source>Report text</source>
        <translation>報告の本文</translation>
    </message>
    <message>
        <source>Report status</source>
        <translation>報告の状況</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>コピー(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Save as file…</source>
        <translation>ファイルに保存(&amp;S)…</translation>
    </message>
    <message>
        <source>The report is on the clipboard.</source>
        <translation>報告をクリップボードにコピーしました。</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>報告の保存</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>テキストファイル (*.txt)</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>%1 に保存しました</translation>
    </message>
</context>
<context>
    <name>ComplicationTableModel</name>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Treatment</source>
        <translation>施術</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>製品</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>ロット</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>発生した事象</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>重症度</translation>
    </message>
    <message>
        <source>Noticed</source>
        <translation>発見日</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>経過観察日</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>転帰</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>記録者</translation>
    </message>
</context>
<context>
    <name>ComplicationWords</name>
    <message>
        <source>Bruising</source>
        <translation>内出血</translation>
    </message>
    <message>
        <source>Swelling</source>
        <translation>腫れ</translation>
    </message>
    <message>
        <source>Infection</source>
        <translation>感染</translation>
    </message>
    <message>
        <source>Nodule</source>
        <translation>しこり（結節）</translation>
    </message>
    <message>
        <source>Vascular occlusion</source>
        <translation>血管閉塞</translation>
    </message>
    <message>
        <source>Ptosis</source>
        <translation>眼瞼下垂</translation>
    </message>
    <message>
        <source>Allergic reaction</source>
        <translation>アレルギー反応</translation>
    </message>
    <message>
        <source>Burn</source>
        <translation>熱傷</translation>
    </message>
    <message>
        <source>Pigmentation change</source>
        <translation>色素沈着の変化</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>その他</translation>
    </message>
    <message>
        <source>Mild</source>
        <translation>軽度</translation>
    </message>
    <message>
        <source>Moderate</source>
        <translation>中等度</translation>
    </message>
    <message>
        <source>Severe</source>
        <translation>重度</translation>
    </message>
    <message>
        <source>Serious</source>
        <translation>重篤</translation>
    </message>
    <message>
        <source>Ongoing</source>
        <translation>継続中</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>回復</translation>
    </message>
    <message>
        <source>Resolved with sequelae</source>
        <translation>後遺症を残して回復</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>Serious: resulted in death, was life-threatening, needed or prolonged a hospital stay, caused lasting disability, or is otherwise medically important (for example a vascular occlusion threatening sight or skin). Report it to the national scheme at once.</source>
        <translation>重篤: 死亡に至ったもの、生命を脅かしたもの、入院または入院期間の延長を要したもの、永続的な障害が残ったもの、その他医学的に重要なもの（例: 視力や皮膚を脅かす血管閉塞）。直ちに国の報告制度に報告してください。</translation>
    </message>
</context>
<context>
    <name>ComplicationsPage</name>
    <message>
        <source>Open complications</source>
        <translation>対応中の合併症</translation>
    </message>
    <message>
        <source>Adverse events still ongoing or with an unknown outcome, the most severe first. Practitioners record them from the patient&apos;s consultation record.</source>
        <translation>継続中または転帰不明の有害事象です（重い順）。施術者が患者のカウンセリング記録から記録します。</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>編集(&amp;E)…</translation>
    </message>
    <message>
        <source>Report for the national sche&amp;me…</source>
        <translation>国の報告制度への報告(&amp;M)…</translation>
    </message>
    <message>
        <source>Complications status</source>
        <translation>合併症の状況</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message numerus="yes">
        <source>%n open complication(s)</source>
        <translation>
            <numerusform>対応中の合併症 %n 件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConsentDialog</name>
    <message>
        <source>Consent</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>Why a full consent</source>
        <translation>改めて同意が必要な理由</translation>
    </message>
    <message>
        <source>Consent status</source>
        <translation>同意の状況</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>閉じる(&amp;C)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message>
        <source>Every treatment ready for consent in this consultation is signed.</source>
        <translation>このカウンセリングで同意に進める施術は、すべて署名済みです。</translation>
    </message>
    <message>
        <source>No treatment of this consultation can go on to consent.</source>
        <translation>このカウンセリングには、同意に進める施術がありません。</translation>
    </message>
    <message>
        <source>The consent text for %1 cannot be shown.</source>
        <translation>%1 の同意書の本文を表示できません。</translation>
    </message>
    <message>
        <source>&amp;Next treatment: %1</source>
        <translation>次の施術(&amp;N): %1</translation>
    </message>
    <message>
        <source>Next treatment</source>
        <translation>次の施術</translation>
    </message>
    <message>
        <source>Consent — %1 — %2</source>
        <translation>同意 — %1 — %2</translation>
    </message>
    <message>
        <source>Close without signing?</source>
        <translation>署名せずに閉じますか？</translation>
    </message>
    <message>
        <source>The initials, choices and signatures entered for this treatment will be lost. Nothing has been signed yet.</source>
        <translation>この施術について入力したイニシャル、選択、署名は失われます。まだ何も署名されていません。</translation>
    </message>
</context>
<context>
    <name>ConsentFormsModel</name>
    <message>
        <source>Document</source>
        <translation>文書</translation>
    </message>
    <message>
        <source>Treatment</source>
        <translation>施術</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>署名日時</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
</context>
<context>
    <name>ConsentStandingView</name>
    <message>
        <source>Consents</source>
        <translation>同意書</translation>
    </message>
    <message>
        <source>Where the patient&apos;s consents stand</source>
        <translation>患者の同意の状況</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message>
        <source>No consent signed yet.</source>
        <translation>署名済みの同意書はまだありません。</translation>
    </message>
    <message>
        <source>Where the consents stand could not be read: </source>
        <translation>同意の状況を読み込めませんでした: </translation>
    </message>
    <message>
        <source>valid until %1</source>
        <translation>%1 まで有効</translation>
    </message>
    <message>
        <source>expired on %1</source>
        <translation>%1 に期限切れ</translation>
    </message>
    <message>
        <source>consented at every visit</source>
        <translation>来院ごとに同意</translation>
    </message>
    <message>
        <source>course complete</source>
        <translation>コース終了</translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation>撤回</translation>
    </message>
    <message>
        <source>voided</source>
        <translation>無効化</translation>
    </message>
    <message>
        <source>session %1 of %2</source>
        <translation>%2 回中 %1 回目</translation>
    </message>
</context>
<context>
    <name>ConsentStep</name>
    <message>
        <source>Consent: %1</source>
        <translation>同意: %1</translation>
    </message>
    <message>
        <source>Treatment %1 of %2</source>
        <translation>施術 %1 / %2</translation>
    </message>
    <message>
        <source>Treatment number</source>
        <translation>施術番号</translation>
    </message>
    <message>
        <source>Patient: %1, born %2 · consent text version %3</source>
        <translation>患者: %1（生年月日 %2）· 同意書の版 %3</translation>
    </message>
    <message>
        <source>Patient and consent text</source>
        <translation>患者と同意書</translation>
    </message>
    <message>
        <source>Reading status</source>
        <translation>読了の状況</translation>
    </message>
    <message>
        <source>Consent given</source>
        <translation>同意します（患者）</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Scroll to the end of the consent text to sign</source>
        <translation>署名するには同意書を最後までスクロールしてください</translation>
    </message>
    <message>
        <source>Consent taken</source>
        <translation>同意を取得しました（施術者）</translation>
    </message>
    <message>
        <source>&amp;Close (nothing is signed)</source>
        <translation>閉じる（署名されません）(&amp;C)</translation>
    </message>
    <message>
        <source>Close without signing</source>
        <translation>署名せずに閉じる</translation>
    </message>
    <message>
        <source>Hand to patient</source>
        <translation>患者様に渡す</translation>
    </message>
    <message>
        <source>Han&amp;d to patient…</source>
        <translation>患者様に渡す(&amp;D)…</translation>
    </message>
    <message>
        <source>Sealing in progress</source>
        <translation>確定処理中</translation>
    </message>
    <message>
        <source>Signing status</source>
        <translation>署名の状況</translation>
    </message>
    <message>
        <source>Sign and &amp;seal</source>
        <translation>署名して確定(&amp;S)</translation>
    </message>
    <message>
        <source>Sign and seal</source>
        <translation>署名して確定</translation>
    </message>
    <message>
        <source>Freeze the text, initials, choices and both signatures into the signed record and its PDF. A sealed record can never be edited.</source>
        <translation>本文、イニシャル、選択、両者の署名を署名済みの記録と PDF に確定します。確定した記録は二度と編集できません。</translation>
    </message>
    <message>
        <source>Still to sign: %1</source>
        <translation>未署名: %1</translation>
    </message>
    <message>
        <source>Practitioner</source>
        <translation>施術者</translation>
    </message>
    <message>
        <source>Practitioner, %1</source>
        <translation>施術者（%1）</translation>
    </message>
    <message>
        <source>Patient&apos;s initials, section by section</source>
        <translation>項目ごとの患者のイニシャル</translation>
    </message>
    <message>
        <source>The patient initials each section after reading it.</source>
        <translation>患者は各項目を読んだ後にイニシャルを記入します。</translation>
    </message>
    <message>
        <source>Initials</source>
        <translation>イニシャル</translation>
    </message>
    <message>
        <source>Initials for %1</source>
        <translation>%1 のイニシャル</translation>
    </message>
    <message>
        <source>Patient&apos;s choices</source>
        <translation>患者の選択</translation>
    </message>
    <message>
        <source>Separate yes/no answers; treatment goes ahead whichever is chosen.</source>
        <translation>個別の「はい／いいえ」の回答です。どちらを選んでも施術は行われます。</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>はい(&amp;Y)</translation>
    </message>
    <message>
        <source>Y&amp;es</source>
        <translation>はい(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>いいえ(&amp;N)</translation>
    </message>
    <message>
        <source>N&amp;o</source>
        <translation>いいえ(&amp;O)</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <source>no</source>
        <translation>いいえ</translation>
    </message>
    <message>
        <source>✔ The whole text has been shown: the patient can sign.</source>
        <translation>✔ 本文をすべて表示しました。患者は署名できます。</translation>
    </message>
    <message>
        <source>↓ Read the text to its end with the patient: then the patient&apos;s signature box opens.</source>
        <translation>↓ 患者と一緒に本文を最後まで読んでください。読み終えると患者の署名欄が開きます。</translation>
    </message>
    <message>
        <source>Read the consent text to its end first: then the patient signs.</source>
        <translation>まず同意書を最後まで読んでください。その後、患者が署名します。</translation>
    </message>
    <message>
        <source>read the text to its end</source>
        <translation>本文を最後まで読むこと</translation>
    </message>
    <message>
        <source>Initials needed.</source>
        <translation>イニシャルが必要です。</translation>
    </message>
    <message numerus="yes">
        <source>%n section(s) to initial</source>
        <translation>
            <numerusform>イニシャル未記入の項目 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose yes or no.</source>
        <translation>「はい」か「いいえ」を選んでください。</translation>
    </message>
    <message numerus="yes">
        <source>%n question(s) to answer yes or no</source>
        <translation>
            <numerusform>「はい／いいえ」未回答の質問 %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n signature(s) missing</source>
        <translation>
            <numerusform>署名 %n 件が未記入</numerusform>
        </translation>
    </message>
    <message>
        <source>Not sealed yet: %1 (shown next to each).</source>
        <translation>まだ確定していません: %1（各欄の横に表示）。</translation>
    </message>
    <message>
        <source>Sealing the record and rendering the PDF…</source>
        <translation>記録を確定し、PDF を作成しています…</translation>
    </message>
    <message>
        <source>Consent sealed: %1</source>
        <translation>同意を確定しました: %1</translation>
    </message>
    <message>
        <source>Not sealed: %1</source>
        <translation>確定できませんでした: %1</translation>
    </message>
    <message>
        <source>Not sealed, because of an unexpected error: %1</source>
        <translation>予期しないエラーのため確定できませんでした: %1</translation>
    </message>
    <message>
        <source>Not sealed: see the message next to the field.</source>
        <translation>確定できませんでした。入力欄の横のメッセージを確認してください。</translation>
    </message>
</context>
<context>
    <name>ConsentTextView</name>
    <message>
        <source>Consent text</source>
        <translation>同意書の本文</translation>
    </message>
    <message>
        <source>Read the consent text to the end; signing becomes possible once every section has been shown.</source>
        <translation>同意書を最後まで読んでください。すべての項目を表示すると署名できるようになります。</translation>
    </message>
    <message>
        <source>The text</source>
        <translation>本文</translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation>
            <numerusform> ほか %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Not shown yet: %1. Every section must be read before signing.</source>
        <translation>まだ表示されていません: %1。署名の前にすべての項目を読む必要があります。</translation>
    </message>
</context>
<context>
    <name>ConsultationRecordDialog</name>
    <message>
        <source>Consultation of %1 — %2</source>
        <translation>%1 のカウンセリング — %2</translation>
    </message>
    <message>
        <source>%1: consultation of %2</source>
        <translation>%1: %2 のカウンセリング</translation>
    </message>
    <message>
        <source>at the %1 step</source>
        <translation>%1 の段階</translation>
    </message>
    <message>
        <source>Born %1 · practitioner %2 · %3 · treatments: %4</source>
        <translation>生年月日 %1 · 施術者 %2 · %3 · 施術: %4</translation>
    </message>
    <message>
        <source>About this consultation</source>
        <translation>このカウンセリングについて</translation>
    </message>
    <message>
        <source>Signed consent &amp;forms</source>
        <translation>署名済みの同意書(&amp;F)</translation>
    </message>
    <message>
        <source>Signed consent forms</source>
        <translation>署名済みの同意書</translation>
    </message>
    <message>
        <source>Treatment c&amp;hart…</source>
        <translation>施術チャート(&amp;H)…</translation>
    </message>
    <message>
        <source>Treatment chart</source>
        <translation>施術チャート</translation>
    </message>
    <message>
        <source>Record a co&amp;mplication…</source>
        <translation>合併症を記録(&amp;M)…</translation>
    </message>
    <message>
        <source>Record a complication</source>
        <translation>合併症を記録</translation>
    </message>
    <message>
        <source>Printing status</source>
        <translation>印刷の状況</translation>
    </message>
    <message>
        <source>Loading the signed consent forms…</source>
        <translation>署名済みの同意書を読み込んでいます…</translation>
    </message>
    <message>
        <source>Could go on to consent</source>
        <translation>同意に進めた施術</translation>
    </message>
    <message>
        <source>Went on to consent</source>
        <translation>同意に進んだ施術</translation>
    </message>
    <message>
        <source>Not screened: the consultation stopped before the screening.</source>
        <translation>禁忌チェック未実施: 禁忌チェックの前にカウンセリングが終了しました。</translation>
    </message>
    <message numerus="yes">
        <source>Signed consent &amp;forms (%n)</source>
        <translation>
            <numerusform>署名済みの同意書（%n）(&amp;F)</numerusform>
        </translation>
    </message>
    <message>
        <source>No consent form was signed in this consultation.</source>
        <translation>このカウンセリングでは同意書は署名されていません。</translation>
    </message>
    <message numerus="yes">
        <source>Consented: %n form(s) signed</source>
        <translation>
            <numerusform>同意済み: 同意書 %n 件に署名</numerusform>
        </translation>
    </message>
    <message>
        <source>Closed without consent</source>
        <translation>同意なしで終了</translation>
    </message>
    <message>
        <source>Print cop&amp;y marked %1…</source>
        <translation>「%1」の印付きで控えを印刷(&amp;Y)…</translation>
    </message>
    <message>
        <source>Pre&amp;view copy marked %1…</source>
        <translation>「%1」の印付きの控えをプレビュー(&amp;V)…</translation>
    </message>
    <message>
        <source>Print cop&amp;y…</source>
        <translation>控えを印刷(&amp;Y)…</translation>
    </message>
    <message>
        <source>Pre&amp;view copy…</source>
        <translation>控えをプレビュー(&amp;V)…</translation>
    </message>
    <message>
        <source>Complication recorded: %1</source>
        <translation>合併症を記録しました: %1</translation>
    </message>
    <message>
        <source>Not printed: %1</source>
        <translation>印刷できませんでした: %1</translation>
    </message>
</context>
<context>
    <name>ConsultationTableModel</name>
    <message>
        <source>Date</source>
        <translation>日付</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>段階</translation>
    </message>
    <message>
        <source>Treatments</source>
        <translation>施術</translation>
    </message>
    <message>
        <source>Practitioner</source>
        <translation>施術者</translation>
    </message>
</context>
<context>
    <name>ConsultationWizard</name>
    <message>
        <source>Save status</source>
        <translation>保存の状況</translation>
    </message>
    <message>
        <source>Consultation: %1</source>
        <translation>カウンセリング: %1</translation>
    </message>
    <message>
        <source>Born %1, %2 · consultation on %3 · jurisdiction %4</source>
        <translation>生年月日 %1、%2 · カウンセリング日 %3 · 法域 %4</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>手順</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>お知らせ</translation>
    </message>
    <message>
        <source>C&amp;lose (the draft is kept)</source>
        <translation>閉じる（下書きは保存されます）(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>戻る(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation>次へ(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Go on to consent</source>
        <translation>同意へ進む(&amp;G)</translation>
    </message>
    <message>
        <source>Close the consultation; the draft is kept</source>
        <translation>カウンセリングを閉じる（下書きは保存されます）</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>戻る</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>次へ</translation>
    </message>
    <message>
        <source>Go on to consent</source>
        <translation>同意へ進む</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message>
        <source>Draft saved</source>
        <translation>下書きを保存しました</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>The screening rules have changed since this consultation was screened (rule set %1 → %2); it has been screened again.</source>
        <translation>このカウンセリングの禁忌チェック後に判定ルールが変更されました（ルールセット %1 → %2）。もう一度禁忌チェックを行いました。</translation>
    </message>
    <message>
        <source>The screening rules have changed since this consultation was screened (rule set %1 → %2); a consent of it is already signed, so it keeps the screening that consent was signed with.</source>
        <translation>このカウンセリングの禁忌チェック後に判定ルールが変更されました（ルールセット %1 → %2）。すでに同意書が署名されているため、その署名時の禁忌チェック結果を維持します。</translation>
    </message>
    <message>
        <source>The screening rules have changed since this consultation was screened (rule set %1 → %2); it could not be screened again: %3. Check the answers, then go on to screen it.</source>
        <translation>このカウンセリングの禁忌チェック後に判定ルールが変更されました（ルールセット %1 → %2）。もう一度禁忌チェックを行えませんでした: %3。回答を確認してから禁忌チェックに進んでください。</translation>
    </message>
    <message>
        <source>The products could not be loaded: %1</source>
        <translation>製品を読み込めませんでした: %1</translation>
    </message>
    <message>
        <source>Draft saved at %1</source>
        <translation>%1 に下書きを保存しました</translation>
    </message>
    <message>
        <source>Check the treatments: %1</source>
        <translation>施術を確認してください: %1</translation>
    </message>
    <message>
        <source>Check the intake: %1: %2</source>
        <translation>問診を確認してください: %1: %2</translation>
    </message>
    <message numerus="yes">
        <source>Confirm each section as unchanged since the last visit, or update it: %n left.</source>
        <translation>
            <numerusform>各項目について、前回の来院から変更がないことを確認するか、更新してください（残り %n 項目）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Decide on every finding first (write a justification or acknowledge it), clarify what is asked, or go back and remove the treatment: %1</source>
        <translation>先にすべての所見について判断してください（根拠を記入するか、確認済みにします）。求められている点を確認するか、戻ってその施術を外してください: %1</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>保存中…</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>保存されていません</translation>
    </message>
    <message>
        <source>Treatments</source>
        <translation>施術</translation>
    </message>
    <message>
        <source>Intake</source>
        <translation>問診</translation>
    </message>
    <message>
        <source>Screening</source>
        <translation>禁忌チェック</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>まとめ</translation>
    </message>
    <message>
        <source>Plan at least one treatment.</source>
        <translation>施術を1件以上計画してください。</translation>
    </message>
    <message>
        <source>Choose the treatment, or remove this row.</source>
        <translation>施術を選ぶか、この行を削除してください。</translation>
    </message>
    <message>
        <source>Answer this question.</source>
        <translation>この質問に回答してください。</translation>
    </message>
    <message numerus="yes">
        <source>Every question asked needs an answer: %n left.</source>
        <translation>
            <numerusform>表示されたすべての質問に回答が必要です。残り %n 件。</numerusform>
        </translation>
    </message>
    <message>
        <source>A returning patient: the consent for %1 is still valid. The intake starts from the last visit&apos;s (%2): confirm each section as unchanged or update it.</source>
        <translation>再来の患者です。%1 の同意はまだ有効です。問診は前回（%2）の回答から始まります。各項目について、変更がないことを確認するか、更新してください。</translation>
    </message>
    <message>
        <source>%1 (until %2)</source>
        <translation>%1（%2 まで）</translation>
    </message>
    <message>
        <source>Please clarify: the screening needs a definite answer here.</source>
        <translation>確認してください: 禁忌チェックにはここで明確な回答が必要です。</translation>
    </message>
</context>
<context>
    <name>CourseBox</name>
    <message>
        <source>Course of treatments</source>
        <translation>コース施術</translation>
    </message>
    <message>
        <source>Course:</source>
        <translation>コース:</translation>
    </message>
    <message>
        <source>This consent covers a course of treatments</source>
        <translation>この同意はコース施術全体を対象とします</translation>
    </message>
    <message>
        <source>Sessions in the course</source>
        <translation>コースの回数</translation>
    </message>
    <message>
        <source>Weeks the course lasts</source>
        <translation>コースの期間（週）</translation>
    </message>
    <message>
        <source>sessions over</source>
        <translation>回、期間</translation>
    </message>
    <message>
        <source>weeks</source>
        <translation>週</translation>
    </message>
    <message>
        <source>Up to %1 sessions over %2 weeks: this visit is the first, each later one is re-confirmed with one signature.</source>
        <translation>%2 週間で最大 %1 回: 今回が 1 回目で、2 回目以降は 1 回の署名で同意を再確認します。</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Dashboard</source>
        <translation>ダッシュボード</translation>
    </message>
    <message>
        <source>Fr&amp;om</source>
        <translation>開始日(&amp;O)</translation>
    </message>
    <message>
        <source>Period from</source>
        <translation>期間の開始</translation>
    </message>
    <message>
        <source>U&amp;ntil</source>
        <translation>終了日(&amp;N)</translation>
    </message>
    <message>
        <source>Period until</source>
        <translation>期間の終了</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>表示(&amp;S)</translation>
    </message>
    <message>
        <source>Show the period</source>
        <translation>期間を表示</translation>
    </message>
    <message>
        <source>Consents signed per month, by treatment (voided left out)</source>
        <translation>月別・施術別の署名済み同意書（無効化分を除く）</translation>
    </message>
    <message>
        <source>Consents per month</source>
        <translation>月別の同意件数</translation>
    </message>
    <message>
        <source>Consents with a relative contraindication overridden, per practitioner</source>
        <translation>相対禁忌を判断のうえ続行した同意の割合（施術者別）</translation>
    </message>
    <message>
        <source>Override rate per practitioner</source>
        <translation>施術者別の続行判断の割合</translation>
    </message>
    <message>
        <source>The end date is before the start date.</source>
        <translation>終了日が開始日より前になっています。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message>
        <source>%1% (%2 of %3)</source>
        <translation>%1%（%3 件中 %2 件）</translation>
    </message>
    <message numerus="yes">
        <source>%n consent(s) in the period</source>
        <translation>
            <numerusform>期間中の同意 %n 件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <source>d MMMM yyyy</source>
        <comment>a date in words (QDate)</comment>
        <translation>yyyy年M月d日</translation>
    </message>
    <message>
        <source>1 year</source>
        <translation>1歳</translation>
    </message>
    <message>
        <source>%1 years</source>
        <translation>%1歳</translation>
    </message>
    <message>
        <source>1 month</source>
        <translation>生後1か月</translation>
    </message>
    <message>
        <source>%1 months</source>
        <translation>生後%1か月</translation>
    </message>
    <message>
        <source>1 day</source>
        <translation>生後1日</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>生後%1日</translation>
    </message>
    <message>
        <source>“%1”: type the year with four digits (%2).</source>
        <translation>「%1」: 年は4桁で入力してください（%2）。</translation>
    </message>
    <message>
        <source>“%1” is not a date: type it as %2, YYYY-MM-DD or YYYYMMDD.</source>
        <translation>「%1」は日付ではありません。%2、YYYY-MM-DD、または YYYYMMDD の形で入力してください。</translation>
    </message>
    <message>
        <source>There is no year %1.</source>
        <translation>%1 年という年はありません。</translation>
    </message>
    <message>
        <source>There is no month %1: months go from 1 to 12 (the date is read as %2).</source>
        <translation>%1 月という月はありません。月は1から12までです（日付は %2 の形で読み取っています）。</translation>
    </message>
    <message>
        <source>There is no day 0 in a month.</source>
        <translation>0日という日はありません。</translation>
    </message>
    <message>
        <source>There is no %1 %2 %3: %2 %3 has %4 days.</source>
        <translation>%3年%2%1日という日はありません。%3年%2は%4日までです。</translation>
    </message>
    <message>
        <source>Date understood</source>
        <translation>読み取った日付</translation>
    </message>
    <message>
        <source>Type the date as %1, as YYYY-MM-DD, or as eight digits YYYYMMDD.</source>
        <translation>日付は %1、YYYY-MM-DD、または8桁の数字 YYYYMMDD の形で入力してください。</translation>
    </message>
    <message>
        <source>%1 is in the future: check the date.</source>
        <translation>%1 は未来の日付です。日付を確認してください。</translation>
    </message>
    <message>
        <source>%1 is %2 years ago: a date %3 or more years ago is refused. Check the year.</source>
        <translation>%1 は %2 年前です。%3 年以上前の日付は受け付けられません。年を確認してください。</translation>
    </message>
</context>
<context>
    <name>DeskConsultationModel</name>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>生年月日</translation>
    </message>
    <message>
        <source>Practitioner</source>
        <translation>施術者</translation>
    </message>
    <message>
        <source>Treatments</source>
        <translation>施術</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Forms signed</source>
        <translation>署名済み同意書</translation>
    </message>
</context>
<context>
    <name>DeskPanel</name>
    <message>
        <source>The patient is reading the consent</source>
        <translation>患者様が同意書を読んでいます</translation>
    </message>
    <message>
        <source>The patient is answering</source>
        <translation>患者様が回答中です</translation>
    </message>
    <message>
        <source>%1 is reading, initialling and signing the consent in patient mode.</source>
        <translation>%1 さんが患者モードで同意書を読み、イニシャルを記入し、署名しています。</translation>
    </message>
    <message>
        <source>%1 is answering the health questions in patient mode.</source>
        <translation>%1 さんが患者モードで健康に関する質問に回答しています。</translation>
    </message>
    <message>
        <source>Sections done</source>
        <translation>完了したセクション</translation>
    </message>
    <message>
        <source>Questions answered</source>
        <translation>回答済みの質問</translation>
    </message>
    <message>
        <source>&amp;Take back</source>
        <translation>引き継ぐ(&amp;T)</translation>
    </message>
    <message>
        <source>Take back</source>
        <translation>引き継ぐ</translation>
    </message>
    <message>
        <source>Sections done: %1 of %2</source>
        <translation>完了したセクション: %2 中 %1</translation>
    </message>
    <message>
        <source>Questions answered: %1 of %2</source>
        <translation>回答済みの質問: %2 中 %1</translation>
    </message>
    <message>
        <source>Steps done: %1 of %2</source>
        <translation>完了した手順: %2 中 %1</translation>
    </message>
    <message>
        <source>%1 is answering the health questions on the kiosk station %2.</source>
        <translation>%1 さんがキオスク端末 %2 で健康に関する質問に回答しています。</translation>
    </message>
</context>
<context>
    <name>DraftsPage</name>
    <message>
        <source>Your unfinished consultations</source>
        <translation>未完了のカウンセリング</translation>
    </message>
    <message>
        <source>Consultations are saved as you go. Resume one here, or start a new one from a patient&apos;s page.</source>
        <translation>カウンセリングは入力のたびに保存されます。ここから再開するか、患者のページから新しく始めてください。</translation>
    </message>
    <message>
        <source>Unfinished consultations</source>
        <translation>未完了のカウンセリング</translation>
    </message>
    <message>
        <source>Res&amp;ume draft</source>
        <translation>下書きを再開(&amp;U)</translation>
    </message>
    <message>
        <source>Resume draft</source>
        <translation>下書きを再開</translation>
    </message>
    <message>
        <source>Draft list status</source>
        <translation>下書き一覧の状態</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message numerus="yes">
        <source>%n unfinished consultation(s)</source>
        <translation>
            <numerusform>未完了のカウンセリング %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>No unfinished consultations.</source>
        <translation>未完了のカウンセリングはありません。</translation>
    </message>
    <message>
        <source>The drafts could not be loaded: </source>
        <translation>下書きを読み込めませんでした: </translation>
    </message>
</context>
<context>
    <name>ErrorLabel</name>
    <message>
        <source>Error message</source>
        <translation>エラーメッセージ</translation>
    </message>
</context>
<context>
    <name>ExportPanel</name>
    <message>
        <source>Export progress</source>
        <translation>書き出しの進行状況</translation>
    </message>
    <message>
        <source>C&amp;ancel export</source>
        <translation>書き出しを中止(&amp;A)</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>書き出しを中止</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>中止しています…</translation>
    </message>
</context>
<context>
    <name>FaceChart</name>
    <message>
        <source>Face chart</source>
        <translation>フェイスチャート</translation>
    </message>
    <message>
        <source>Click a diagram to place an injection point; drag a point or use the arrow keys to move it; Delete removes it. The points are listed in the table.</source>
        <translation>図をクリックすると注入点を置けます。注入点はドラッグまたは矢印キーで移動し、Delete キーで削除します。注入点は表に一覧表示されます。</translation>
    </message>
</context>
<context>
    <name>FindingWidget</name>
    <message>
        <source>Finding</source>
        <translation>所見</translation>
    </message>
    <message>
        <source>Source: %1</source>
        <translation>出典: %1</translation>
    </message>
    <message>
        <source>Justified by %1 on %2: %3</source>
        <translation>%1 が %2 に根拠を記録: %3</translation>
    </message>
    <message>
        <source>Clinical justification for going on (at least %1 characters)</source>
        <translation>続行する臨床的根拠（%1 文字以上）</translation>
    </message>
    <message>
        <source>Clinical justification</source>
        <translation>臨床的根拠</translation>
    </message>
    <message>
        <source>Record &amp;justification</source>
        <translation>根拠を記録(&amp;J)</translation>
    </message>
    <message>
        <source>Record justification</source>
        <translation>根拠を記録</translation>
    </message>
    <message>
        <source>Acknowledged by %1 on %2</source>
        <translation>%1 が %2 に確認済み</translation>
    </message>
    <message>
        <source>The same finding, also: %1 (source: %2)</source>
        <translation>同じ所見: %1（出典: %2）</translation>
    </message>
    <message>
        <source> (%1 characters written so far)</source>
        <translation>（現在 %1 文字）</translation>
    </message>
    <message>
        <source>Ac&amp;knowledge</source>
        <translation>確認済みにする(&amp;K)</translation>
    </message>
    <message>
        <source>Acknowledge caution</source>
        <translation>注意事項を確認済みにする</translation>
    </message>
    <message>
        <source>The same finding from another rule</source>
        <translation>別のルールによる同じ所見</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>判断</translation>
    </message>
</context>
<context>
    <name>FirstRunPage</name>
    <message>
        <source>Welcome to Consult</source>
        <translation>Consult へようこそ</translation>
    </message>
    <message>
        <source>Set up your clinic and the first manager account. Managers add the other users afterwards.</source>
        <translation>クリニックと最初の管理者アカウントを設定してください。ほかのユーザーは後から管理者が追加します。</translation>
    </message>
    <message>
        <source>Clinic &amp;name</source>
        <translation>クリニック名(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Address</source>
        <translation>住所(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Jurisdiction</source>
        <translation>法域(&amp;J)</translation>
    </message>
    <message>
        <source>Regenerative-medicine &amp;plan or approval number</source>
        <translation>再生医療等提供計画の番号または承認番号(&amp;P)</translation>
    </message>
    <message>
        <source>Manager&apos;s full na&amp;me</source>
        <translation>管理者の氏名(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Username</source>
        <translation>ユーザー名(&amp;U)</translation>
    </message>
    <message>
        <source>Pass&amp;word (12+ characters)</source>
        <translation>パスワード（12文字以上）(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Repeat password</source>
        <translation>パスワード（確認）(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Create clinic</source>
        <translation>クリニックを作成(&amp;C)</translation>
    </message>
    <message>
        <source>Create clinic</source>
        <translation>クリニックを作成</translation>
    </message>
    <message>
        <source>Only for %1</source>
        <translation>%1 のみ</translation>
    </message>
    <message>
        <source>Clinics in %1 record here their registered plan or approval number for regenerative medicine.</source>
        <translation>%1 のクリニックは、再生医療の提供計画番号または承認番号をここに記録します。</translation>
    </message>
    <message>
        <source>The clinic&apos;s registered plan or approval number for regenerative medicine under the %1. Leave it empty if the clinic has none: treatments that need one are then refused at screening.</source>
        <translation>%1 に基づくクリニックの再生医療等提供計画の番号または承認番号です。ない場合は空欄にしてください。その場合、計画を要する施術は禁忌チェックで不可となります。</translation>
    </message>
    <message>
        <source>Registered plan or approval number, if any</source>
        <translation>提供計画番号または承認番号（ある場合）</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>入力した2つのパスワードが一致しません。</translation>
    </message>
</context>
<context>
    <name>FormCopyPrinting</name>
    <message numerus="yes">
        <source>Printed a copy of %1 marked %2 (%n page(s))</source>
        <translation>
            <numerusform>%1 の控えを「%2」の印付きで印刷しました（%n ページ）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Printed a copy of %1 (%n page(s))</source>
        <translation>
            <numerusform>%1 の控えを印刷しました（%n ページ）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FormPaperBox</name>
    <message>
        <source>Paper for consent forms</source>
        <translation>同意書の用紙</translation>
    </message>
    <message>
        <source>The paper consent forms are laid out for. Forms already signed keep the paper they were sealed on.</source>
        <translation>同意書をレイアウトする用紙です。署名済みの同意書は、封印されたときの用紙のままです。</translation>
    </message>
    <message>
        <source>A4</source>
        <translation>A4</translation>
    </message>
    <message>
        <source>US Letter</source>
        <translation>US レター</translation>
    </message>
    <message>
        <source>By the clinic&apos;s country (%1)</source>
        <translation>クリニックの国に合わせる (%1)</translation>
    </message>
</context>
<context>
    <name>FormPreviewDialog</name>
    <message>
        <source>Preview — %1</source>
        <translation>プレビュー — %1</translation>
    </message>
    <message>
        <source>Every page, as it will print.</source>
        <translation>印刷されるとおりの全ページです。</translation>
    </message>
    <message>
        <source>Who signed what: the identity and signature pages. The health answers and the consent text are not shown at the desk; the printed copy has every page.</source>
        <translation>誰が何に署名したか（本人確認と署名のページ）です。健康に関する回答と同意書の本文は受付では表示されません。印刷した控えには全ページが含まれます。</translation>
    </message>
</context>
<context>
    <name>FormTableModel</name>
    <message>
        <source>Document</source>
        <translation>文書</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>生年月日</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Treatment</source>
        <translation>施術</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>署名日時</translation>
    </message>
    <message>
        <source>Practitioner</source>
        <translation>施術者</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>印刷</translation>
    </message>
    <message>
        <source>Handed over</source>
        <translation>お渡し</translation>
    </message>
    <message numerus="yes">
        <source>%n time(s)</source>
        <translation>
            <numerusform>%n 回</numerusform>
        </translation>
    </message>
    <message>
        <source>Not yet</source>
        <translation>未</translation>
    </message>
    <message>
        <source>A copy printed now is marked %1 on every page.</source>
        <translation>今印刷する控えには、全ページに「%1」の印が付きます。</translation>
    </message>
</context>
<context>
    <name>FormTimeZoneBox</name>
    <message>
        <source>Time zone of consent forms</source>
        <translation>同意書のタイムゾーン</translation>
    </message>
    <message>
        <source>The clock the times on consent forms are printed by (the record keeps them in UTC). Forms already signed keep the times they print.</source>
        <translation>同意書に印刷する時刻のタイムゾーンです（記録には UTC で保存されます）。署名済みの同意書の印刷時刻は変わりません。</translation>
    </message>
    <message>
        <source>This computer&apos;s time zone (%1)</source>
        <translation>このコンピューターのタイムゾーン (%1)</translation>
    </message>
</context>
<context>
    <name>HiddenPhotoModel</name>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>部位</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>撮影日時</translation>
    </message>
    <message>
        <source>Hidden since</source>
        <translation>非表示にした日時</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>ハッシュ値（SHA-256）</translation>
    </message>
</context>
<context>
    <name>IntakePage</name>
    <message>
        <source>2. Intake</source>
        <translation>2. 問診</translation>
    </message>
    <message>
        <source>Han&amp;d to patient…</source>
        <translation>患者様に渡す(&amp;D)…</translation>
    </message>
    <message>
        <source>Hand to patient</source>
        <translation>患者様に渡す</translation>
    </message>
    <message>
        <source>The patient answers on their own screen; your password takes it back.</source>
        <translation>患者様がご自身の画面で回答します。引き継ぐにはあなたのパスワードが必要です。</translation>
    </message>
    <message>
        <source>Questions left to answer</source>
        <translation>未回答の質問</translation>
    </message>
    <message>
        <source>Keyboard: Tab goes to the next question and the arrow keys choose within it; Y, N or U answers yes, no or not sure and moves on; in a list, N ticks “None of these” and Space ticks the box in focus.</source>
        <translation>キーボード: Tab で次の質問へ、矢印キーで選択肢を選びます。Y、N、U で「はい」「いいえ」「わからない」と回答して次へ進みます。一覧では N で「該当なし」、スペースで選択中の項目にチェックを入れます。</translation>
    </message>
    <message>
        <source>Keyboard</source>
        <translation>キーボード</translation>
    </message>
    <message>
        <source>Sections of the questionnaire</source>
        <translation>問診票の項目</translation>
    </message>
    <message numerus="yes">
        <source>Every question asked is required: %n still to answer.</source>
        <translation>
            <numerusform>表示された質問はすべて必須です。残り %n 件。</numerusform>
        </translation>
    </message>
    <message>
        <source>Every question asked has an answer.</source>
        <translation>表示された質問にすべて回答済みです。</translation>
    </message>
</context>
<context>
    <name>KioskChoice</name>
    <message>
        <source>Hand to patient</source>
        <translation>患者様に渡す</translation>
    </message>
    <message>
        <source>Where will the patient answer?</source>
        <translation>患者様はどこで回答しますか？</translation>
    </message>
    <message>
        <source>A kiosk station shows the patient this intake only; you take it back here with your password.</source>
        <translation>キオスク端末には、この問診だけが患者様に表示されます。終わったら、ここでパスワードを入力して引き取ります。</translation>
    </message>
    <message>
        <source>On this workstation</source>
        <translation>この端末で</translation>
    </message>
    <message>
        <source>On kiosk station %1</source>
        <translation>キオスク端末 %1 で</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
</context>
<context>
    <name>LanguageDialog</name>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>The language of your screens, on every workstation you sign in at. Your pages are shown again in it at once: what is open is saved and closed first.</source>
        <translation>ログインするすべての端末で使う画面の言語です。選ぶとすぐにその言語で画面を表示し直します。開いている内容は先に保存して閉じます。</translation>
    </message>
    <message>
        <source>The &amp;workstation&apos;s language (%1)</source>
        <translation>この端末の言語（%1）(&amp;W)</translation>
    </message>
</context>
<context>
    <name>LockPage</name>
    <message>
        <source>Consult is locked</source>
        <translation>Consult はロックされています</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <source>Sign in as &amp;someone else</source>
        <translation>別のユーザーでログイン(&amp;S)</translation>
    </message>
    <message>
        <source>Sign in as someone else</source>
        <translation>別のユーザーでログイン</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>ロック解除(&amp;U)</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>ロック解除</translation>
    </message>
    <message>
        <source>%1 is still signed in. Enter your password to carry on where you left off, or let someone else sign in (your open consultation is kept as a draft).</source>
        <translation>%1 さんがログインしたままです。パスワードを入力すると作業を続けられます。別の人がログインすることもできます（開いているカウンセリングは下書きとして保存されます）。</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>パスワードを入力してください。</translation>
    </message>
</context>
<context>
    <name>LotDialog</name>
    <message>
        <source>AABB accredited</source>
        <translation>AABB 認定</translation>
    </message>
    <message>
        <source>FACT accredited</source>
        <translation>FACT 認定</translation>
    </message>
    <message>
        <source>GMP certificate</source>
        <translation>GMP 証明書</translation>
    </message>
    <message>
        <source>ISO 22716 GMP certificate</source>
        <translation>ISO 22716 GMP 証明書</translation>
    </message>
    <message>
        <source>CE mark, ISO 13485</source>
        <translation>CE マーク、ISO 13485</translation>
    </message>
    <message>
        <source>Add a lot of %1</source>
        <translation>%1 のロットを追加</translation>
    </message>
    <message>
        <source>Product: %1</source>
        <translation>製品: %1</translation>
    </message>
    <message>
        <source>&amp;Lot (batch) number</source>
        <translation>ロット番号(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Expiry date</source>
        <translation>有効期限(&amp;E)</translation>
    </message>
    <message>
        <source>Su&amp;pplier</source>
        <translation>仕入先(&amp;P)</translation>
    </message>
    <message>
        <source>For example AABB, FACT or a GMP certificate</source>
        <translation>例: AABB、FACT、GMP 証明書</translation>
    </message>
    <message>
        <source>Supplier &amp;accreditation</source>
        <translation>仕入先の認証(&amp;A)</translation>
    </message>
</context>
<context>
    <name>LotTableModel</name>
    <message>
        <source>Lot</source>
        <translation>ロット</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>有効期限</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>仕入先</translation>
    </message>
    <message>
        <source>Supplier accreditation</source>
        <translation>仕入先の認証</translation>
    </message>
    <message>
        <source>Quarantined: %1</source>
        <translation>使用停止中: %1</translation>
    </message>
    <message>
        <source>Expired: cannot be used</source>
        <translation>期限切れ: 使用できません</translation>
    </message>
    <message>
        <source>In date</source>
        <translation>有効期限内</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>ログアウト(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Lock screen</source>
        <translation>画面をロック(&amp;L)</translation>
    </message>
    <message>
        <source>Change my &amp;password…</source>
        <translation>パスワードを変更(&amp;P)…</translation>
    </message>
    <message>
        <source>Lan&amp;guage…</source>
        <translation>言語(&amp;G)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>管理</translation>
    </message>
    <message>
        <source>&amp;Verify a form…</source>
        <translation>同意書の検証(&amp;V)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Consult</source>
        <translation>Consult について(&amp;A)</translation>
    </message>
    <message>
        <source>Clinic</source>
        <translation>クリニック</translation>
    </message>
    <message>
        <source>Signed in as</source>
        <translation>ログイン中のユーザー</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>データベース</translation>
    </message>
    <message>
        <source>No clinic yet</source>
        <translation>クリニック未設定</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>ログインしていません</translation>
    </message>
    <message>
        <source>Consultation, contraindication screening and informed consent.</source>
        <translation>カウンセリング、禁忌チェック、インフォームド・コンセント。</translation>
    </message>
    <message>
        <source>Rule set: %1</source>
        <translation>ルールセット: %1</translation>
    </message>
    <message>
        <source>Embedded database: %1</source>
        <translation>埋め込みデータベース: %1</translation>
    </message>
    <message>
        <source>PostgreSQL: %1 on %2</source>
        <translation>PostgreSQL: %2 上の %1</translation>
    </message>
    <message>
        <source>About Consult</source>
        <translation>Consult について</translation>
    </message>
</context>
<context>
    <name>NotTreatedDialog</name>
    <message>
        <source>Not treated: letter for the patient</source>
        <translation>施術見送り: 患者様へのお知らせ</translation>
    </message>
    <message>
        <source>&amp;Record and show the letter</source>
        <translation>記録してお知らせを表示(&amp;R)</translation>
    </message>
    <message>
        <source>Record the outcome and show the letter</source>
        <translation>結果を記録してお知らせを表示</translation>
    </message>
    <message>
        <source>Not going ahead</source>
        <translation>見送り</translation>
    </message>
    <message>
        <source>Treatments not given and why</source>
        <translation>行わない施術とその理由</translation>
    </message>
    <message>
        <source>Nothing forbids these; tick any you decide not to give:</source>
        <translation>以下は禁忌ではありません。行わないと判断したものにチェックを入れてください:</translation>
    </message>
    <message>
        <source>Not giving %1 (your decision: say why in the note)</source>
        <translation>%1 を行わない（あなたの判断: 理由をメモに記入してください）</translation>
    </message>
    <message>
        <source>The letter for %1 is written in %2, the patient&apos;s language: what was found, what to do next, your note, the clinic&apos;s telephone and your name.</source>
        <translation>%1 様へのお知らせは、患者様の言語である%2で作成されます。内容は、判明したこと、今後の対応、あなたのメモ、クリニックの電話番号、あなたの氏名です。</translation>
    </message>
    <message>
        <source>Your &amp;note for the patient (printed on the letter):</source>
        <translation>患者様へのメモ（お知らせに印刷されます）(&amp;N):</translation>
    </message>
    <message>
        <source>Note for the patient</source>
        <translation>患者様へのメモ</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>印刷(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Save as PDF…</source>
        <translation>PDF で保存(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Open in the PDF viewer</source>
        <translation>PDF ビューアで開く(&amp;O)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>The outcome is recorded. The letter for the patient, as it will print:</source>
        <translation>結果を記録しました。患者様へのお知らせ（印刷されるとおり）:</translation>
    </message>
    <message>
        <source>Save the letter</source>
        <translation>お知らせの保存</translation>
    </message>
    <message numerus="yes">
        <source>Printed the letter (%n page(s)).</source>
        <translation>
            <numerusform>お知らせを印刷しました（%n ページ）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Saved the letter as %1.</source>
        <translation>お知らせを %1 として保存しました。</translation>
    </message>
</context>
<context>
    <name>OutcomePanel</name>
    <message>
        <source>Print the &amp;letter again…</source>
        <translation>お知らせを再印刷(&amp;L)…</translation>
    </message>
    <message>
        <source>Print the letter again</source>
        <translation>お知らせを再印刷</translation>
    </message>
    <message>
        <source>Previe&amp;w the letter…</source>
        <translation>お知らせをプレビュー(&amp;W)…</translation>
    </message>
    <message>
        <source>Preview the letter</source>
        <translation>お知らせをプレビュー</translation>
    </message>
    <message>
        <source>Outcome of this consultation</source>
        <translation>このカウンセリングの結果</translation>
    </message>
    <message>
        <source>Not treated: blocked by the screening</source>
        <translation>施術見送り: 禁忌チェックにより不可</translation>
    </message>
    <message>
        <source>Not treated: the practitioner&apos;s decision</source>
        <translation>施術見送り: 施術者の判断</translation>
    </message>
    <message>
        <source>Recorded by %1 on %2. The patient&apos;s letter is in %3.</source>
        <translation>%2 に %1 が記録しました。患者様へのお知らせは%3で作成されています。</translation>
    </message>
    <message>
        <source>blocked by an absolute contraindication</source>
        <translation>絶対禁忌のため不可</translation>
    </message>
    <message>
        <source>not given (the practitioner&apos;s decision)</source>
        <translation>行わない（施術者の判断）</translation>
    </message>
    <message>
        <source>Next step: %1</source>
        <translation>今後の対応: %1</translation>
    </message>
    <message>
        <source>Note for the patient: “%1”</source>
        <translation>患者様へのメモ: 「%1」</translation>
    </message>
    <message>
        <source>No note for the patient.</source>
        <translation>患者様へのメモはありません。</translation>
    </message>
    <message>
        <source>%1 (on the letter, in %2)</source>
        <translation>%1（お知らせには%2で記載）</translation>
    </message>
    <message>
        <source>Letter of consultation %1</source>
        <translation>カウンセリング %1 のお知らせ</translation>
    </message>
    <message>
        <source>Not printed: %1</source>
        <translation>印刷できませんでした: %1</translation>
    </message>
    <message numerus="yes">
        <source>Printed the letter again (%n page(s)).</source>
        <translation>
            <numerusform>お知らせを再印刷しました（%n ページ）。</numerusform>
        </translation>
    </message>
    <message>
        <source>The letter could not be fetched: %1</source>
        <translation>お知らせを取得できませんでした: %1</translation>
    </message>
</context>
<context>
    <name>PasswordStrengthLabel</name>
    <message>
        <source>Very weak</source>
        <translation>非常に弱い</translation>
    </message>
    <message>
        <source>Weak</source>
        <translation>弱い</translation>
    </message>
    <message>
        <source>Fair</source>
        <translation>普通</translation>
    </message>
    <message>
        <source>Strong</source>
        <translation>強い</translation>
    </message>
    <message>
        <source>Very strong</source>
        <translation>非常に強い</translation>
    </message>
    <message>
        <source>must be at least %1 characters long</source>
        <translation>%1 文字以上にする必要があります</translation>
    </message>
    <message>
        <source>must not contain the username</source>
        <translation>ユーザー名を含めることはできません</translation>
    </message>
    <message>
        <source>is too easy to guess.</source>
        <translation>推測されやすすぎます。</translation>
    </message>
    <message>
        <source>Password strength</source>
        <translation>パスワードの強度</translation>
    </message>
    <message>
        <source>Strength: %1.</source>
        <translation>強度: %1。</translation>
    </message>
    <message>
        <source>Not accepted: the password %1</source>
        <translation>使用できません: このパスワードは%1</translation>
    </message>
    <message>
        <source>Refused until the password is stronger: it %1</source>
        <translation>パスワードを強くするまで受け付けられません: このパスワードは%1</translation>
    </message>
</context>
<context>
    <name>PatientAnswersReview</name>
    <message>
        <source>Differs from the last consultation (then: %1).</source>
        <translation>前回のカウンセリングと異なります（前回: %1）。</translation>
    </message>
    <message>
        <source>Changed after discussion: the patient answered “%1”.</source>
        <translation>話し合いの後に変更: 患者様の回答は「%1」でした。</translation>
    </message>
</context>
<context>
    <name>PatientConsentHandover</name>
    <message>
        <source>The patient has signed. Enter your password, then countersign and seal.</source>
        <translation>患者様の署名が終わりました。パスワードを入力してから、副署して封印してください。</translation>
    </message>
    <message>
        <source>Patient mode is paused: nobody touched the screen for a while. Enter your password to take the consent back.</source>
        <translation>しばらく画面の操作がなかったため、患者モードを一時停止しました。同意書を引き継ぐには、パスワードを入力してください。</translation>
    </message>
</context>
<context>
    <name>PatientDialog</name>
    <message>
        <source>Edit patient</source>
        <translation>患者情報の編集</translation>
    </message>
    <message>
        <source>Register a patient</source>
        <translation>患者の登録</translation>
    </message>
    <message>
        <source>&amp;Given name</source>
        <translation>名(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Family name</source>
        <translation>姓(&amp;F)</translation>
    </message>
    <message>
        <source>Date of &amp;birth</source>
        <translation>生年月日(&amp;B)</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>選択してください…</translation>
    </message>
    <message>
        <source>Se&amp;x at birth</source>
        <translation>出生時の性別(&amp;X)</translation>
    </message>
    <message>
        <source>The language the patient reads their questions, consent and form in.</source>
        <translation>患者様が質問・同意書・書式を読む言語です。</translation>
    </message>
    <message>
        <source>Patient&apos;s &amp;language</source>
        <translation>患者様の言語(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Phone</source>
        <translation>電話番号(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;E-mail</source>
        <translation>メール(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Address</source>
        <translation>住所(&amp;A)</translation>
    </message>
    <message>
        <source>• %1, born %2, %3</source>
        <translation>• %1（生年月日 %2）、%3</translation>
    </message>
    <message>
        <source>no phone</source>
        <translation>電話番号なし</translation>
    </message>
    <message>
        <source>Possible duplicate</source>
        <translation>重複の可能性</translation>
    </message>
    <message>
        <source>A patient with the same name and date of birth is already registered:

%1

Save this patient anyway?</source>
        <translation>同じ氏名・生年月日の患者がすでに登録されています:

%1

それでもこの患者を保存しますか？</translation>
    </message>
    <message>
        <source>given name</source>
        <translation>名</translation>
    </message>
    <message>
        <source>family name</source>
        <translation>姓</translation>
    </message>
    <message>
        <source>date of birth</source>
        <translation>生年月日</translation>
    </message>
    <message>
        <source>sex at birth</source>
        <translation>出生時の性別</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1、%2</translation>
    </message>
    <message>
        <source>%1 and %2</source>
        <translation>%1、%2</translation>
    </message>
    <message>
        <source>Still to fill in: %1.</source>
        <translation>未入力: %1。</translation>
    </message>
    <message>
        <source>Date of birth: %1</source>
        <translation>生年月日: %1</translation>
    </message>
</context>
<context>
    <name>PatientHandover</name>
    <message>
        <source>Sending the questions to %1…</source>
        <translation>%1 に質問を送信しています…</translation>
    </message>
    <message>
        <source>The questions are on %1, waiting for the patient.</source>
        <translation>質問は %1 に表示されています。患者様の回答を待っています。</translation>
    </message>
    <message>
        <source>The patient has finished. Enter your password to take the consultation back.</source>
        <translation>患者様の回答が終わりました。カウンセリングを引き継ぐには、パスワードを入力してください。</translation>
    </message>
    <message>
        <source>Patient mode is paused: nobody answered for a while. The answers are saved; enter your password to take the consultation back.</source>
        <translation>しばらく操作がなかったため、患者モードを一時停止しました。回答は保存されています。カウンセリングを引き継ぐには、パスワードを入力してください。</translation>
    </message>
    <message>
        <source>Hand to patient</source>
        <translation>患者様に渡す</translation>
    </message>
    <message>
        <source>The questions were not sent to the kiosk station: %1</source>
        <translation>質問をキオスク端末に送信できませんでした: %1</translation>
    </message>
    <message>
        <source>Taking the answers back from the kiosk station…</source>
        <translation>キオスク端末から回答を引き取っています…</translation>
    </message>
</context>
<context>
    <name>PatientMode</name>
    <message>
        <source>Please read the whole text: you can sign once you have reached its end.</source>
        <translation>最後までお読みください。最後まで読むと署名できます。</translation>
    </message>
    <message>
        <source>Your initials for each section</source>
        <translation>各項目へのイニシャル</translation>
    </message>
    <message>
        <source>Initials</source>
        <translation>イニシャル</translation>
    </message>
    <message>
        <source>Your choices</source>
        <translation>ご選択</translation>
    </message>
    <message>
        <source>Consent given</source>
        <translation>同意します</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>I have signed</source>
        <translation>署名しました</translation>
    </message>
    <message>
        <source>Please read the text to its end.</source>
        <translation>本文を最後までお読みください。</translation>
    </message>
    <message>
        <source>Please initial every section.</source>
        <translation>すべての項目にイニシャルを記入してください。</translation>
    </message>
    <message>
        <source>Please answer yes or no to each choice.</source>
        <translation>それぞれの選択に「はい」か「いいえ」でお答えください。</translation>
    </message>
    <message>
        <source>Please sign in the box.</source>
        <translation>枠の中に署名してください。</translation>
    </message>
    <message>
        <source>Your health questions</source>
        <translation>健康状態に関する質問</translation>
    </message>
    <message>
        <source>Please answer each question as well as you can. If you do not know, choose “Not sure”. Your answers are private: only your practitioner sees them.</source>
        <translation>できる範囲で、それぞれの質問にお答えください。わからない場合は「わからない」を選んでください。回答は担当の施術者だけが見ます。</translation>
    </message>
    <message>
        <source>Section %1 of %2</source>
        <translation>セクション %1 / %2</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>進み具合</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>戻る</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>次へ</translation>
    </message>
    <message>
        <source>I have finished</source>
        <translation>回答が終わりました</translation>
    </message>
    <message>
        <source>For the practitioner</source>
        <translation>施術者用</translation>
    </message>
    <message>
        <source>Have you finished?</source>
        <translation>回答は終わりましたか？</translation>
    </message>
    <message>
        <source>You have answered every question. Thank you.</source>
        <translation>すべての質問にお答えいただきました。ありがとうございました。</translation>
    </message>
    <message>
        <source>These questions have no answer yet. Your practitioner needs an answer to each; choose “Not sure” if you do not know. Touch a question to answer it:</source>
        <translation>次の質問にまだ回答がありません。担当の施術者はそれぞれの回答を必要としています。わからない場合は「わからない」を選んでください。質問に触れると回答できます:</translation>
    </message>
    <message>
        <source>Go back to the questions</source>
        <translation>質問に戻る</translation>
    </message>
    <message>
        <source>Back to the questions</source>
        <translation>質問に戻る</translation>
    </message>
    <message>
        <source>Yes, I have finished</source>
        <translation>はい、終わりました</translation>
    </message>
    <message>
        <source>Finish without answering them</source>
        <translation>回答せずに終える</translation>
    </message>
    <message>
        <source>Thank you</source>
        <translation>ありがとうございました</translation>
    </message>
    <message>
        <source>Please give the screen back to your practitioner. Your answers are saved.</source>
        <translation>画面を担当の施術者にお返しください。回答は保存されています。</translation>
    </message>
    <message>
        <source>Your practitioner will be with you in a moment. Your answers are saved.</source>
        <translation>まもなく担当の施術者がまいります。回答は保存されています。</translation>
    </message>
    <message>
        <source>The questions were paused because nobody answered for a while. Your answers are saved. Please ask your practitioner to carry on.</source>
        <translation>しばらく操作がなかったため、質問を一時停止しました。回答は保存されています。続けるには担当の施術者にお声がけください。</translation>
    </message>
    <message>
        <source>Questions answered: %1 of %2</source>
        <translation>回答済みの質問: %2 中 %1</translation>
    </message>
    <message>
        <source>Are you still there?</source>
        <translation>まだいらっしゃいますか？</translation>
    </message>
    <message>
        <source>Touch the button to carry on with your questions. Your answers are saved.</source>
        <translation>ボタンに触れると質問を続けられます。回答は保存されています。</translation>
    </message>
    <message>
        <source>Yes, I am still here</source>
        <translation>はい、います</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>ようこそ</translation>
    </message>
    <message>
        <source>Your practitioner will send your health questions to this screen.</source>
        <translation>担当の施術者が、健康に関する質問をこの画面にお送りします。</translation>
    </message>
    <message>
        <source>Are your answers here the same as at your last visit (%1)?</source>
        <translation>ここでのご回答は、前回のご来院時（%1）と同じですか？</translation>
    </message>
    <message>
        <source>Yes, nothing has changed</source>
        <translation>はい、変わりありません</translation>
    </message>
    <message>
        <source>Something has changed</source>
        <translation>変わったことがあります</translation>
    </message>
    <message>
        <source>✓ The same as at your last visit (%1): your answers are kept.</source>
        <translation>✓ 前回のご来院時（%1）と同じです。ご回答はそのまま使います。</translation>
    </message>
    <message>
        <source>Your answers from your last visit (%1) are filled in: change what is different.</source>
        <translation>前回のご来院時（%1）のご回答が入っています。変わったところを直してください。</translation>
    </message>
    <message>
        <source>Please choose first whether anything has changed since your last visit.</source>
        <translation>まず、前回のご来院から変わったことがあるかどうかを選んでください。</translation>
    </message>
</context>
<context>
    <name>PatientPage</name>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>生年月日</translation>
    </message>
    <message>
        <source>Sex at birth</source>
        <translation>出生時の性別</translation>
    </message>
    <message>
        <source>Reads in</source>
        <translation>使用言語</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>電話番号</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>メール</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住所</translation>
    </message>
    <message>
        <source>&amp;Edit details…</source>
        <translation>情報を編集(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Start consultation</source>
        <translation>カウンセリングを開始(&amp;S)</translation>
    </message>
    <message>
        <source>Res&amp;ume consultation</source>
        <translation>カウンセリングを再開(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;View consultation…</source>
        <translation>カウンセリングを表示(&amp;V)…</translation>
    </message>
    <message>
        <source>Consultations</source>
        <translation>カウンセリング</translation>
    </message>
    <message>
        <source>The patient&apos;s consultations</source>
        <translation>この患者のカウンセリング</translation>
    </message>
    <message>
        <source>Consultation list status</source>
        <translation>カウンセリング一覧の状態</translation>
    </message>
    <message>
        <source>Consultations are seen by practitioners and managers.</source>
        <translation>カウンセリングは施術者と管理者のみが閲覧できます。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message numerus="yes">
        <source>%n consultation(s)</source>
        <translation>
            <numerusform>カウンセリング %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n in progress can be resumed</source>
        <translation>
            <numerusform>、うち進行中 %n 件は再開できます</numerusform>
        </translation>
    </message>
    <message>
        <source>The consultations could not be loaded: </source>
        <translation>カウンセリングを読み込めませんでした: </translation>
    </message>
</context>
<context>
    <name>PatientTableModel</name>
    <message>
        <source>Name</source>
        <translation>氏名</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>生年月日</translation>
    </message>
    <message>
        <source>Sex at birth</source>
        <translation>出生時の性別</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>電話番号</translation>
    </message>
</context>
<context>
    <name>PatientsPage</name>
    <message>
        <source>Patients</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Fi&amp;nd:</source>
        <translation>検索(&amp;N):</translation>
    </message>
    <message>
        <source>Name, date of birth (YYYY-MM-DD or DD/MM/YYYY) or phone</source>
        <translation>氏名、生年月日（YYYY-MM-DD または DD/MM/YYYY）、電話番号</translation>
    </message>
    <message>
        <source>Find a patient</source>
        <translation>患者を検索</translation>
    </message>
    <message>
        <source>Regi&amp;ster patient…</source>
        <translation>患者を登録(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>編集(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>開く(&amp;O)</translation>
    </message>
    <message>
        <source>Patients found</source>
        <translation>見つかった患者</translation>
    </message>
    <message>
        <source>Search status</source>
        <translation>検索の状態</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>検索中…</translation>
    </message>
    <message>
        <source>Recently registered or edited patients</source>
        <translation>最近登録・編集した患者</translation>
    </message>
    <message numerus="yes">
        <source>First %n patients found: type more to narrow it down</source>
        <translation>
            <numerusform>最初の %n 人を表示しています。続けて入力すると絞り込めます</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n patient(s) found</source>
        <translation>
            <numerusform>患者 %n 人が見つかりました</numerusform>
        </translation>
    </message>
    <message>
        <source>Search failed: </source>
        <translation>検索できませんでした: </translation>
    </message>
</context>
<context>
    <name>PdfPreview</name>
    <message>
        <source>Consent form preview</source>
        <translation>同意書のプレビュー</translation>
    </message>
    <message>
        <source>Page %1</source>
        <translation>%1 ページ</translation>
    </message>
</context>
<context>
    <name>PhoneField</name>
    <message>
        <source>International form: + and the country code</source>
        <translation>国際形式: + と国番号から</translation>
    </message>
    <message>
        <source>Type the number in international form, starting with + and the country code (for example +33 6 12 34 56 78).</source>
        <translation>番号は + と国番号から始まる国際形式で入力してください（例: +33 6 12 34 56 78）。</translation>
    </message>
    <message>
        <source>For example %1 or %2</source>
        <translation>例: %1 または %2</translation>
    </message>
    <message>
        <source>Type the number as it is dialled here, or in international form starting with + and the country code for a number abroad. It is checked and shown the same way everywhere.</source>
        <translation>国内でかけるとおりに入力してください。海外の番号は + と国番号から始まる国際形式で入力します。番号は確認され、どの画面でも同じ形で表示されます。</translation>
    </message>
</context>
<context>
    <name>PhotoImportDialog</name>
    <message>
        <source>Import photos</source>
        <translation>写真の取り込み</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) for the consultation of %1:</source>
        <translation>
            <numerusform>%1 のカウンセリングに取り込むファイル（%n 件）:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>ほか %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Files to import</source>
        <translation>取り込むファイル</translation>
    </message>
    <message>
        <source>Choose the treatment</source>
        <translation>施術を選んでください</translation>
    </message>
    <message>
        <source>Not for a treatment</source>
        <translation>施術に関連付けない</translation>
    </message>
    <message>
        <source>A photo of a treatment is kept with its record and exported as part of it.</source>
        <translation>施術の写真は施術記録とともに保存され、その一部として書き出されます。</translation>
    </message>
    <message>
        <source>Treated are&amp;a:</source>
        <translation>施術部位(&amp;A):</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>種類(&amp;K):</translation>
    </message>
    <message>
        <source>&amp;Treatment:</source>
        <translation>施術(&amp;T):</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>取り込む(&amp;I)</translation>
    </message>
</context>
<context>
    <name>PhotoTimeline</name>
    <message>
        <source>Photos</source>
        <translation>写真</translation>
    </message>
    <message>
        <source>Consultatio&amp;n:</source>
        <translation>カウンセリング(&amp;N):</translation>
    </message>
    <message>
        <source>Consultation</source>
        <translation>カウンセリング</translation>
    </message>
    <message>
        <source>I&amp;mport photos…</source>
        <translation>写真を取り込む(&amp;M)…</translation>
    </message>
    <message>
        <source>The patient&apos;s photos</source>
        <translation>患者の写真</translation>
    </message>
    <message>
        <source>Photo import progress</source>
        <translation>写真の取り込みの進行状況</translation>
    </message>
    <message>
        <source>Photos status</source>
        <translation>写真の状況</translation>
    </message>
    <message>
        <source>C&amp;ompare…</source>
        <translation>比較(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Withdraw photo consent…</source>
        <translation>写真撮影の同意を撤回(&amp;W)…</translation>
    </message>
    <message>
        <source>Photos past re&amp;tention…</source>
        <translation>保存期間を過ぎた写真(&amp;T)…</translation>
    </message>
    <message>
        <source>Photos past retention</source>
        <translation>保存期間を過ぎた写真</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message>
        <source>photographs allowed</source>
        <translation>写真撮影に同意済み</translation>
    </message>
    <message>
        <source>photograph consent withdrawn</source>
        <translation>写真撮影の同意は撤回済み</translation>
    </message>
    <message>
        <source>consent form withdrawn or voided</source>
        <translation>同意書は撤回または無効化済み</translation>
    </message>
    <message>
        <source>No photos: the patient has not consented to photographs.</source>
        <translation>写真はありません: 患者は写真撮影に同意していません。</translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s)</source>
        <translation>
            <numerusform>写真 %n 枚</numerusform>
        </translation>
    </message>
    <message>
        <source>The photos could not be loaded: </source>
        <translation>写真を読み込めませんでした: </translation>
    </message>
    <message>
        <source>No photos to show.</source>
        <translation>表示する写真はありません。</translation>
    </message>
    <message>
        <source>Import photos</source>
        <translation>写真の取り込み</translation>
    </message>
    <message numerus="yes">
        <source>Importing %n photo(s)…</source>
        <translation>
            <numerusform>写真 %n 枚を取り込んでいます…</numerusform>
        </translation>
    </message>
    <message>
        <source>Imported %1 of %2…</source>
        <translation>%2 枚中 %1 枚を取り込みました…</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) not imported:</source>
        <translation>
            <numerusform>取り込めなかったファイル（%n 件）:</numerusform>
        </translation>
    </message>
    <message>
        <source>Withdraw photograph consent</source>
        <translation>写真撮影の同意の撤回</translation>
    </message>
    <message>
        <source>Why is the patient&apos;s consent to photographs withdrawn? The consultation&apos;s photos are hidden from every view and export at once; the clinic deletes them after its retention period.</source>
        <translation>患者が写真撮影の同意を撤回する理由は何ですか？ このカウンセリングの写真は、直ちにすべての画面と書き出しから非表示になり、クリニックの保存期間が過ぎた後に削除されます。</translation>
    </message>
</context>
<context>
    <name>Photos</name>
    <message>
        <source>Full face</source>
        <translation>顔全体</translation>
    </message>
    <message>
        <source>Forehead</source>
        <translation>額</translation>
    </message>
    <message>
        <source>Glabella</source>
        <translation>眉間</translation>
    </message>
    <message>
        <source>Periorbital</source>
        <translation>目の周り</translation>
    </message>
    <message>
        <source>Cheeks</source>
        <translation>頬</translation>
    </message>
    <message>
        <source>Nasolabial</source>
        <translation>ほうれい線</translation>
    </message>
    <message>
        <source>Lips</source>
        <translation>唇</translation>
    </message>
    <message>
        <source>Chin</source>
        <translation>あご</translation>
    </message>
    <message>
        <source>Jawline</source>
        <translation>フェイスライン</translation>
    </message>
    <message>
        <source>Neck</source>
        <translation>首</translation>
    </message>
    <message>
        <source>Décolletage</source>
        <translation>デコルテ</translation>
    </message>
    <message>
        <source>Hands</source>
        <translation>手</translation>
    </message>
    <message>
        <source>Scalp</source>
        <translation>頭皮</translation>
    </message>
    <message>
        <source>Other area</source>
        <translation>その他の部位</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>施術前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>施術後</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>経過</translation>
    </message>
</context>
<context>
    <name>PointEditor</name>
    <message>
        <source>Amount</source>
        <translation>注入量</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>単位</translation>
    </message>
    <message>
        <source>Depth</source>
        <translation>深さ</translation>
    </message>
    <message>
        <source>Technique</source>
        <translation>手技</translation>
    </message>
    <message>
        <source>Area of the point</source>
        <translation>注入点の部位</translation>
    </message>
    <message>
        <source>Area (e.g. glabella)</source>
        <translation>部位（例: 眉間）</translation>
    </message>
    <message>
        <source>Re&amp;move point</source>
        <translation>注入点を削除(&amp;M)</translation>
    </message>
    <message>
        <source>Remove point</source>
        <translation>注入点を削除</translation>
    </message>
    <message>
        <source>No point selected</source>
        <translation>注入点が選択されていません</translation>
    </message>
    <message>
        <source>Point %1:</source>
        <translation>注入点 %1:</translation>
    </message>
</context>
<context>
    <name>PointsModel</name>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>部位</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>注入量</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>単位</translation>
    </message>
    <message>
        <source>Depth</source>
        <translation>深さ</translation>
    </message>
    <message>
        <source>Technique</source>
        <translation>手技</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>ロット</translation>
    </message>
</context>
<context>
    <name>PointsTable</name>
    <message>
        <source>Injection points</source>
        <translation>注入点</translation>
    </message>
</context>
<context>
    <name>ProductDialog</name>
    <message>
        <source>Edit product</source>
        <translation>製品の編集</translation>
    </message>
    <message>
        <source>Add a product</source>
        <translation>製品の追加</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>名称(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Manufacturer</source>
        <translation>製造元(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Treatment</source>
        <translation>施術(&amp;T)</translation>
    </message>
    <message>
        <source>S&amp;ource</source>
        <translation>由来(&amp;O)</translation>
    </message>
    <message>
        <source>In &amp;use (offered in consultations)</source>
        <translation>使用中（カウンセリングで選択可）(&amp;U)</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>使用中</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Not applicable</source>
        <translation>該当なし</translation>
    </message>
</context>
<context>
    <name>ProductTableModel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Manufacturer</source>
        <translation>製造元</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>由来</translation>
    </message>
    <message>
        <source>Treatment</source>
        <translation>施術</translation>
    </message>
    <message>
        <source>Lots in date</source>
        <translation>有効期限内のロット</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>使用中</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%2 件中 %1 件</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <source>No (withdrawn)</source>
        <translation>いいえ（取扱中止）</translation>
    </message>
</context>
<context>
    <name>ProductsPage</name>
    <message>
        <source>Products and lots</source>
        <translation>製品とロット</translation>
    </message>
    <message>
        <source>&amp;Add product…</source>
        <translation>製品を追加(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Edit product…</source>
        <translation>製品を編集(&amp;E)…</translation>
    </message>
    <message>
        <source>Add l&amp;ot…</source>
        <translation>ロットを追加(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Quarantine lot…</source>
        <translation>ロットを使用停止(&amp;Q)…</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>製品</translation>
    </message>
    <message>
        <source>Lots</source>
        <translation>ロット</translation>
    </message>
    <message>
        <source>Lots of the selected product</source>
        <translation>選択した製品のロット</translation>
    </message>
    <message>
        <source>Product list status</source>
        <translation>製品一覧の状態</translation>
    </message>
    <message>
        <source>Lots of %1</source>
        <translation>%1 のロット</translation>
    </message>
    <message>
        <source>&amp;Release lot…</source>
        <translation>ロットの使用停止を解除(&amp;R)…</translation>
    </message>
    <message>
        <source>Release lot %1</source>
        <translation>ロット %1 の使用停止を解除</translation>
    </message>
    <message>
        <source>Why may lot %1 be used again?</source>
        <translation>ロット %1 を再び使用できる理由は何ですか？</translation>
    </message>
    <message>
        <source>Quarantine lot %1</source>
        <translation>ロット %1 の使用停止</translation>
    </message>
    <message>
        <source>Why is lot %1 taken out of use? It cannot be chosen for a treatment, and consultations that planned it cannot be screened or consented, until it is released.</source>
        <translation>ロット %1 の使用を停止する理由は何ですか？ 解除されるまで施術に選択できず、このロットを計画したカウンセリングは禁忌チェックも同意の取得もできません。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message numerus="yes">
        <source>%n product(s)</source>
        <translation>
            <numerusform>製品 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>The products could not be loaded: </source>
        <translation>製品を読み込めませんでした: </translation>
    </message>
</context>
<context>
    <name>QuestionWidget</name>
    <message>
        <source>Yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <source>No</source>
        <translation>いいえ</translation>
    </message>
    <message>
        <source>Not sure</source>
        <translation>わからない</translation>
    </message>
    <message>
        <source>None of these</source>
        <translation>該当なし</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>On a date</source>
        <translation>日付を指定</translation>
    </message>
    <message>
        <source>On this date:</source>
        <translation>この日付:</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日付</translation>
    </message>
</context>
<context>
    <name>RateChart</name>
    <message>
        <source>No consents in the period</source>
        <translation>この期間の同意はありません</translation>
    </message>
</context>
<context>
    <name>ReadingBar</name>
    <message>
        <source>Sections not read yet</source>
        <translation>まだ読んでいない項目</translation>
    </message>
    <message>
        <source>&amp;Go to the first unread section</source>
        <translation>最初の未読項目へ移動(&amp;G)</translation>
    </message>
    <message>
        <source>Go to the first unread section</source>
        <translation>最初の未読項目へ移動</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Give the reason (at least 5 characters).</source>
        <translation>理由を入力してください（5文字以上）。</translation>
    </message>
</context>
<context>
    <name>RecallPage</name>
    <message>
        <source>Lot recall</source>
        <translation>ロットの回収</translation>
    </message>
    <message>
        <source>Lot &amp;number:</source>
        <translation>ロット番号(&amp;N):</translation>
    </message>
    <message>
        <source>Lot number</source>
        <translation>ロット番号</translation>
    </message>
    <message>
        <source>e.g. RX-118 (any case)</source>
        <translation>例: RX-118（大文字・小文字は区別しません）</translation>
    </message>
    <message>
        <source>Pr&amp;oduct:</source>
        <translation>製品(&amp;O):</translation>
    </message>
    <message>
        <source>Product name</source>
        <translation>製品名</translation>
    </message>
    <message>
        <source>Name or part of it</source>
        <translation>名称またはその一部</translation>
    </message>
    <message>
        <source>&amp;Expiring between</source>
        <translation>有効期限の範囲(&amp;E)</translation>
    </message>
    <message>
        <source>Expiring from</source>
        <translation>有効期限（開始）</translation>
    </message>
    <message>
        <source>Expiring until</source>
        <translation>有効期限（終了）</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>検索(&amp;S)</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>検索</translation>
    </message>
    <message>
        <source>and</source>
        <translation>〜</translation>
    </message>
    <message>
        <source>Patients to contact</source>
        <translation>連絡が必要な患者</translation>
    </message>
    <message>
        <source>Search by lot, product or expiry.</source>
        <translation>ロット、製品、有効期限で検索します。</translation>
    </message>
    <message>
        <source>Recall status</source>
        <translation>回収検索の状態</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>CSV を書き出す(&amp;C)…</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV を書き出す</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>検索中…</translation>
    </message>
    <message numerus="yes">
        <source>%n patient(s) to contact</source>
        <translation>
            <numerusform>連絡が必要な患者 %n 人</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n treatment(s) with these lots</source>
        <translation>
            <numerusform>これらのロットを使用した施術 %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n treatment(s) left out: consent withdrawn or voided</source>
        <translation>
            <numerusform>%n 件の施術を除外しました（同意の撤回または無効化）</numerusform>
        </translation>
    </message>
    <message>
        <source>Export the recall list</source>
        <translation>回収リストを書き出す</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV ファイル (*.csv)</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n line(s) to </source>
        <translation>
            <numerusform>%n 行を書き出しました: </numerusform>
        </translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>書き出しを中止しました。ファイルは作成されていません。</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>%1 に書き出しています…</translation>
    </message>
</context>
<context>
    <name>RecallTableModel</name>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>生年月日</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>電話番号</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>メール</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>製品</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>ロット</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>有効期限</translation>
    </message>
    <message>
        <source>Treated</source>
        <translation>施術日</translation>
    </message>
    <message>
        <source>Areas</source>
        <translation>部位</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Lot from</source>
        <translation>ロットの記録元</translation>
    </message>
    <message>
        <source>Practitioner</source>
        <translation>施術者</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>Chart</source>
        <translation>施術チャート</translation>
    </message>
    <message>
        <source>Planned (not charted)</source>
        <translation>計画（チャートなし）</translation>
    </message>
    <message>
        <source>The lot recorded on the practitioner&apos;s treatment chart</source>
        <translation>施術者が施術チャートに記録したロット</translation>
    </message>
    <message>
        <source>No treatment was charted: the lot planned at consent</source>
        <translation>施術がチャートに記録されていないため、同意時に計画したロット</translation>
    </message>
</context>
<context>
    <name>ReceptionPage</name>
    <message>
        <source>Reception</source>
        <translation>受付</translation>
    </message>
    <message>
        <source>&lt;b&gt;Today&apos;s consultations&lt;/b&gt;</source>
        <translation>&lt;b&gt;本日のカウンセリング&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Today&apos;s consultations</source>
        <translation>本日のカウンセリング</translation>
    </message>
    <message>
        <source>Find a patient&apos;s for&amp;ms:</source>
        <translation>患者の同意書を検索(&amp;M):</translation>
    </message>
    <message>
        <source>Name, date of birth or phone</source>
        <translation>氏名、生年月日、電話番号</translation>
    </message>
    <message>
        <source>Find a patient</source>
        <translation>患者を検索</translation>
    </message>
    <message>
        <source>Patients found</source>
        <translation>見つかった患者</translation>
    </message>
    <message>
        <source>Today&apos;s &amp;signed forms</source>
        <translation>本日署名された同意書(&amp;S)</translation>
    </message>
    <message>
        <source>Today&apos;s signed forms</source>
        <translation>本日署名された同意書</translation>
    </message>
    <message>
        <source>Signed forms</source>
        <translation>署名済みの同意書</translation>
    </message>
    <message>
        <source>State of the selected form</source>
        <translation>選択した同意書の状態</translation>
    </message>
    <message>
        <source>Print cop&amp;y…</source>
        <translation>控えを印刷(&amp;Y)…</translation>
    </message>
    <message>
        <source>Print pre&amp;view…</source>
        <translation>印刷プレビュー(&amp;V)…</translation>
    </message>
    <message>
        <source>&amp;Open PDF</source>
        <translation>PDF を開く(&amp;O)</translation>
    </message>
    <message>
        <source>Ha&amp;nded to patient</source>
        <translation>患者へお渡し済み(&amp;N)</translation>
    </message>
    <message>
        <source>Follow-up reviews</source>
        <translation>経過観察</translation>
    </message>
    <message>
        <source>Reception status</source>
        <translation>受付の状態</translation>
    </message>
    <message>
        <source>Follow-up reviews (%1)</source>
        <translation>経過観察（%1）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Forms signed today&lt;/b&gt;</source>
        <translation>&lt;b&gt;本日署名された同意書&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Signed forms of %1&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1 の署名済み同意書&lt;/b&gt;</translation>
    </message>
    <message numerus="yes">
        <source>%n signed form(s)</source>
        <translation>
            <numerusform>署名済みの同意書 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Print cop&amp;y marked %1…</source>
        <translation>「%1」の印付きで控えを印刷(&amp;Y)…</translation>
    </message>
    <message>
        <source>Pre&amp;view copy marked %1…</source>
        <translation>「%1」の印付きの控えをプレビュー(&amp;V)…</translation>
    </message>
    <message>
        <source>Pre&amp;view copy…</source>
        <translation>控えをプレビュー(&amp;V)…</translation>
    </message>
    <message>
        <source>%1 is signed. A print is a copy with today&apos;s date on every page.</source>
        <translation>%1 は署名済みです。印刷すると、全ページに本日の日付が入った控えになります。</translation>
    </message>
    <message>
        <source>%1 is %2.</source>
        <translation>%1 は%2です。</translation>
    </message>
    <message>
        <source>Any copy printed or previewed is marked %1 on every page, with the date and the reason.</source>
        <translation>印刷・プレビューする控えには、全ページに「%1」の印と日付・理由が入ります。</translation>
    </message>
    <message>
        <source>%1 was not opened: no PDF viewer</source>
        <translation>%1 を開けませんでした: PDF ビューアがありません</translation>
    </message>
    <message>
        <source>%1 opened in the PDF viewer</source>
        <translation>%1 を PDF ビューアで開きました</translation>
    </message>
    <message>
        <source>%1 handed to %2</source>
        <translation>%1 を %2 さんにお渡ししました</translation>
    </message>
</context>
<context>
    <name>ReconfirmStep</name>
    <message>
        <source>Re-confirm consent: %1</source>
        <translation>同意の再確認: %1</translation>
    </message>
    <message>
        <source>session %1 of %2</source>
        <translation>%2 回中 %1 回目</translation>
    </message>
    <message>
        <source>session %1</source>
        <translation>%1 回目</translation>
    </message>
    <message>
        <source>Nothing the screening rules read has changed since consent %1 was signed on %2, the findings, the consent text and the product are the same, and the consent is valid until %3: %4. The patient re-confirms it with one signature.</source>
        <translation>同意書 %1 が %2 に署名されてから、禁忌チェックが判定に使う回答に変更はなく、所見、同意書の本文、製品も同じで、同意は %3 まで有効です: %4。患者様は 1 回の署名でこの同意を再確認します。</translation>
    </message>
    <message>
        <source>What is re-confirmed</source>
        <translation>再確認する内容</translation>
    </message>
    <message>
        <source>What the patient confirms</source>
        <translation>患者様が確認する内容</translation>
    </message>
    <message>
        <source>Consent re-confirmed</source>
        <translation>同意を再確認しました</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>閉じる(&amp;C)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>&amp;Re-confirm and seal</source>
        <translation>再確認して確定(&amp;R)</translation>
    </message>
    <message>
        <source>Re-confirm and seal</source>
        <translation>再確認して確定</translation>
    </message>
    <message>
        <source>C&amp;ontinue</source>
        <translation>続ける(&amp;O)</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>続ける</translation>
    </message>
    <message>
        <source>Sealed: re-confirmation %1 of consent %2 (session %3).</source>
        <translation>確定しました: 同意書 %2 の再確認 %1（%3 回目）。</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <source>Consent record</source>
        <translation>同意の記録</translation>
    </message>
    <message>
        <source>Record summary</source>
        <translation>記録の概要</translation>
    </message>
    <message>
        <source>Findings and overrides</source>
        <translation>所見と続行判断</translation>
    </message>
    <message>
        <source>Audit trail of this record</source>
        <translation>この記録の監査証跡</translation>
    </message>
    <message>
        <source>When</source>
        <translation>日時</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>実施者</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>端末</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>イベント</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>詳細</translation>
    </message>
    <message>
        <source>&amp;Summary</source>
        <translation>概要(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Findings and overrides</source>
        <translation>所見と続行判断(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Audit trail</source>
        <translation>監査証跡(&amp;A)</translation>
    </message>
    <message>
        <source>F&amp;orm (PDF)</source>
        <translation>同意書（PDF）(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Withdraw…</source>
        <translation>撤回(&amp;W)…</translation>
    </message>
    <message>
        <source>&amp;Void…</source>
        <translation>無効化(&amp;V)…</translation>
    </message>
    <message>
        <source>Open &amp;PDF</source>
        <translation>PDF を開く(&amp;P)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>Loading the record…</source>
        <translation>記録を読み込んでいます…</translation>
    </message>
    <message>
        <source>Withdraw consent</source>
        <translation>同意の撤回</translation>
    </message>
    <message>
        <source>Why is the patient&apos;s consent withdrawn? The record is kept, marked withdrawn.</source>
        <translation>患者が同意を撤回する理由は何ですか？ 記録は「撤回」として残ります。</translation>
    </message>
    <message>
        <source>Void consent</source>
        <translation>同意の無効化</translation>
    </message>
    <message>
        <source>Why is this record void (for example, entered for the wrong patient)? The record is kept, marked void.</source>
        <translation>この記録を無効にする理由は何ですか（例: 別の患者で登録した）？ 記録は「無効」として残ります。</translation>
    </message>
    <message>
        <source>The change could not be saved: %1</source>
        <translation>変更を保存できませんでした: %1</translation>
    </message>
    <message>
        <source>patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>practitioner</source>
        <translation>施術者</translation>
    </message>
    <message>
        <source>consent given</source>
        <translation>同意する</translation>
    </message>
    <message>
        <source>consent taken</source>
        <translation>同意を取得</translation>
    </message>
    <message>
        <source>%1 — lot %2, expires %3</source>
        <translation>%1 — ロット %2、有効期限 %3</translation>
    </message>
    <message>
        <source>%1, born %2</source>
        <translation>%1（生年月日 %2）</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>連絡先</translation>
    </message>
    <message>
        <source>Practitioner</source>
        <translation>施術者</translation>
    </message>
    <message>
        <source>Treatment</source>
        <translation>施術</translation>
    </message>
    <message>
        <source>Product and lot</source>
        <translation>製品とロット</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>署名日時</translation>
    </message>
    <message>
        <source>Screening outcome</source>
        <translation>禁忌チェックの結果</translation>
    </message>
    <message>
        <source>Template version</source>
        <translation>同意書テンプレートの版</translation>
    </message>
    <message>
        <source>Document hash</source>
        <translation>文書のハッシュ値</translation>
    </message>
    <message>
        <source>PDF hash</source>
        <translation>PDF のハッシュ値</translation>
    </message>
    <message>
        <source>%1 points</source>
        <translation>%1 点</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; by %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;（%2）</translation>
    </message>
    <message>
        <source>None</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>Signatures</source>
        <translation>署名</translation>
    </message>
    <message>
        <source>Events after signing</source>
        <translation>署名後のイベント</translation>
    </message>
    <message>
        <source>Screening found nothing for this treatment.</source>
        <translation>この施術では禁忌チェックで何も見つかりませんでした。</translation>
    </message>
    <message>
        <source>Overridden by %1 (%2):</source>
        <translation>%1 が判断のうえ続行（%2）:</translation>
    </message>
    <message>
        <source>Acknowledged by %1</source>
        <translation>%1 が確認済み</translation>
    </message>
    <message>
        <source>Intake answers</source>
        <translation>問診の回答</translation>
    </message>
</context>
<context>
    <name>RegisterFilterBar</name>
    <message>
        <source>Fro&amp;m</source>
        <translation>開始日(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation>終了日(&amp;T)</translation>
    </message>
    <message>
        <source>Signed from</source>
        <translation>署名日（開始）</translation>
    </message>
    <message>
        <source>Signed until</source>
        <translation>署名日（終了）</translation>
    </message>
    <message>
        <source>Any practitioner</source>
        <translation>すべての施術者</translation>
    </message>
    <message>
        <source>Any treatment</source>
        <translation>すべての施術</translation>
    </message>
    <message>
        <source>Any outcome</source>
        <translation>すべての結果</translation>
    </message>
    <message>
        <source>With or without overrides</source>
        <translation>続行判断の有無を問わない</translation>
    </message>
    <message>
        <source>With overrides</source>
        <translation>続行判断あり</translation>
    </message>
    <message>
        <source>Without overrides</source>
        <translation>続行判断なし</translation>
    </message>
    <message>
        <source>Any state</source>
        <translation>すべての状態</translation>
    </message>
    <message>
        <source>Practitioner</source>
        <translation>施術者</translation>
    </message>
    <message>
        <source>Treatment</source>
        <translation>施術</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Overrides</source>
        <translation>続行判断</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Reset filt&amp;ers</source>
        <translation>絞り込みをリセット(&amp;E)</translation>
    </message>
    <message>
        <source>Reset filters</source>
        <translation>絞り込みをリセット</translation>
    </message>
</context>
<context>
    <name>RegisterPage</name>
    <message>
        <source>Consent register</source>
        <translation>同意書台帳</translation>
    </message>
    <message>
        <source>Consent records</source>
        <translation>同意の記録</translation>
    </message>
    <message>
        <source>Register status</source>
        <translation>台帳の状態</translation>
    </message>
    <message>
        <source>&amp;Open record…</source>
        <translation>記録を開く(&amp;O)…</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>CSV を書き出す(&amp;C)…</translation>
    </message>
    <message>
        <source>E&amp;xport FHIR…</source>
        <translation>FHIR で書き出す(&amp;X)…</translation>
    </message>
    <message>
        <source>The end date is before the start date.</source>
        <translation>終了日が開始日より前になっています。</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>件数を数えています…</translation>
    </message>
    <message>
        <source>More than %1 records</source>
        <translation>%1 件を超える記録</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s)</source>
        <translation>
            <numerusform>記録 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message numerus="yes">
        <source>%n shown (scroll for more)</source>
        <translation>
            <numerusform>%n 件を表示中（スクロールで続きを表示）</numerusform>
        </translation>
    </message>
    <message>
        <source>Export the register as CSV</source>
        <translation>台帳を CSV で書き出す</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV ファイル (*.csv)</translation>
    </message>
    <message>
        <source>Export the register as FHIR</source>
        <translation>台帳を FHIR で書き出す</translation>
    </message>
    <message>
        <source>FHIR JSON bundles (*.json)</source>
        <translation>FHIR JSON バンドル (*.json)</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>%1 に書き出しています…</translation>
    </message>
    <message>
        <source>Exported %1 record(s) to %2</source>
        <translation>記録 %1 件を %2 に書き出しました</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>書き出しを中止しました。ファイルは作成されていません。</translation>
    </message>
</context>
<context>
    <name>RegisterTableModel</name>
    <message>
        <source>Signed</source>
        <translation>署名日時</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>文書</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Practitioner</source>
        <translation>施術者</translation>
    </message>
    <message>
        <source>Treatment</source>
        <translation>施術</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Overrides</source>
        <translation>続行判断</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Click to sort by this column</source>
        <translation>クリックするとこの列で並べ替えます</translation>
    </message>
    <message>
        <source>Filter by practitioner above; this column does not sort</source>
        <translation>施術者は上の欄で絞り込みます。この列では並べ替えできません</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <source>Born %1</source>
        <translation>生年月日 %1</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <source>Reset the password of %1</source>
        <translation>%1 のパスワードをリセット</translation>
    </message>
    <message>
        <source>Give %1 a temporary password in person. They must choose their own the next time they sign in. A lockout after failed sign-ins is lifted.</source>
        <translation>%1 さんに仮パスワードを直接伝えてください。次回ログイン時に本人がパスワードを設定し直します。ログイン失敗によるロックも解除されます。</translation>
    </message>
    <message>
        <source>Temporary &amp;password</source>
        <translation>仮パスワード(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Repeat</source>
        <translation>確認入力(&amp;R)</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>入力した2つのパスワードが一致しません。</translation>
    </message>
</context>
<context>
    <name>RetentionDialog</name>
    <message>
        <source>Photos past retention</source>
        <translation>保存期間を過ぎた写真</translation>
    </message>
    <message>
        <source>These photos are hidden because the patient withdrew their photograph consent, and have been hidden for longer than the clinic keeps them. Deleting one removes the picture; its record and fingerprint (SHA-256) stay, and the deletion is logged.</source>
        <translation>これらの写真は、患者が写真撮影の同意を撤回したため非表示になっており、クリニックの保存期間を超えて非表示のままです。削除すると画像は消去されますが、その記録とフィンガープリント（SHA-256）は残り、削除したことも記録されます。</translation>
    </message>
    <message>
        <source>&amp;Keep hidden photos for</source>
        <translation>非表示の写真の保存期間(&amp;K)</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 日</translation>
    </message>
    <message>
        <source>Days hidden photos are kept</source>
        <translation>非表示の写真を保存する日数</translation>
    </message>
    <message>
        <source>&amp;Save retention</source>
        <translation>保存期間を保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save retention</source>
        <translation>保存期間を保存</translation>
    </message>
    <message>
        <source>Photos past retention status</source>
        <translation>保存期間を過ぎた写真の状況</translation>
    </message>
    <message>
        <source>&amp;Delete photo…</source>
        <translation>写真を削除(&amp;D)…</translation>
    </message>
    <message>
        <source>Delete photo</source>
        <translation>写真を削除</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s) past retention</source>
        <translation>
            <numerusform>保存期間を過ぎた写真 %n 枚</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete this photo of %1 for good? Its record and fingerprint stay.</source>
        <translation>%1 のこの写真を完全に削除しますか？ 記録とフィンガープリントは残ります。</translation>
    </message>
</context>
<context>
    <name>ReviewTableModel</name>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>電話番号</translation>
    </message>
    <message>
        <source>Treatment</source>
        <translation>施術</translation>
    </message>
    <message>
        <source>Review due</source>
        <translation>経過観察の予定日</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超過</translation>
    </message>
    <message>
        <source>Called</source>
        <translation>電話連絡</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n 日</numerusform>
        </translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>本日</translation>
    </message>
    <message>
        <source>Not yet</source>
        <translation>まだ</translation>
    </message>
    <message>
        <source>%1 by %2</source>
        <translation>%1（%2）</translation>
    </message>
</context>
<context>
    <name>ReviewsPanel</name>
    <message>
        <source>&lt;b&gt;Follow-up reviews to call&lt;/b&gt;</source>
        <translation>&lt;b&gt;電話連絡が必要な経過観察&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Follow-up reviews</source>
        <translation>経過観察</translation>
    </message>
    <message>
        <source>Ca&amp;lled</source>
        <translation>電話済み(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Booked</source>
        <translation>予約済み(&amp;B)</translation>
    </message>
    <message>
        <source>The patient was called: the review stays listed</source>
        <translation>患者に電話しました（経過観察は一覧に残ります）</translation>
    </message>
    <message>
        <source>The review is booked: it leaves the list</source>
        <translation>経過観察を予約しました（一覧から外れます）</translation>
    </message>
    <message>
        <source>Follow-up reviews status</source>
        <translation>経過観察の状況</translation>
    </message>
    <message numerus="yes">
        <source>%n review(s) to call</source>
        <translation>
            <numerusform>電話連絡する経過観察 %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n overdue</source>
        <translation>
            <numerusform>超過 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 marked as called</source>
        <translation>%1 を電話済みにしました</translation>
    </message>
    <message>
        <source>%1 booked</source>
        <translation>%1 を予約済みにしました</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>Practitioner</source>
        <translation>施術者</translation>
    </message>
    <message>
        <source>Reception</source>
        <translation>受付</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>管理者</translation>
    </message>
</context>
<context>
    <name>SavingDialog</name>
    <message>
        <source>Not saved: %1</source>
        <translation>保存できませんでした: %1</translation>
    </message>
</context>
<context>
    <name>ScreeningPage</name>
    <message>
        <source>3. Screening</source>
        <translation>3. 禁忌チェック</translation>
    </message>
    <message>
        <source>Rule set</source>
        <translation>ルールセット</translation>
    </message>
    <message>
        <source>Not screened yet.</source>
        <translation>まだ禁忌チェックを行っていません。</translation>
    </message>
    <message>
        <source>Screened against rule set %1.</source>
        <translation>ルールセット %1 で禁忌チェックを行いました。</translation>
    </message>
</context>
<context>
    <name>SealedPanel</name>
    <message>
        <source>✔ Consent signed and sealed</source>
        <translation>✔ 同意書は署名・確定されました</translation>
    </message>
    <message>
        <source>Consent signed and sealed</source>
        <translation>同意書は署名・確定されました</translation>
    </message>
    <message>
        <source>Sealed record</source>
        <translation>確定した記録</translation>
    </message>
    <message>
        <source>The record can no longer be changed. Printing, saving and reprinting always give the stored form, and each time is logged.</source>
        <translation>この記録はもう変更できません。印刷・保存・再印刷では常に保存された同意書が出力され、そのたびに記録が残ります。</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>印刷(&amp;P)…</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>印刷</translation>
    </message>
    <message>
        <source>Print pre&amp;view…</source>
        <translation>印刷プレビュー(&amp;V)…</translation>
    </message>
    <message>
        <source>Print preview</source>
        <translation>印刷プレビュー</translation>
    </message>
    <message>
        <source>&amp;Save PDF…</source>
        <translation>PDF を保存(&amp;S)…</translation>
    </message>
    <message>
        <source>Save PDF</source>
        <translation>PDF を保存</translation>
    </message>
    <message>
        <source>Printing and saving status</source>
        <translation>印刷と保存の状況</translation>
    </message>
    <message>
        <source>&amp;Done</source>
        <translation>完了(&amp;D)</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>Document number: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>文書番号: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Document hash (SHA-256, short): &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>文書のハッシュ値（SHA-256、短縮）: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Signed at %1 by %2 and %3</source>
        <translation>%1 に %2 と %3 が署名</translation>
    </message>
    <message>
        <source>Full document hash: %1</source>
        <translation>文書のハッシュ値（全体）: %1</translation>
    </message>
    <message numerus="yes">
        <source>The stored form has %n page(s).</source>
        <translation>
            <numerusform>保存された同意書は %n ページです。</numerusform>
        </translation>
    </message>
    <message>
        <source>The form cannot be shown: %1</source>
        <translation>同意書を表示できません: %1</translation>
    </message>
    <message numerus="yes">
        <source>Printed a copy of %1 (%n page(s)).</source>
        <translation>
            <numerusform>%1 の控えを印刷しました（%n ページ）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Not printed: %1</source>
        <translation>印刷できませんでした: %1</translation>
    </message>
    <message>
        <source>Print preview — %1</source>
        <translation>印刷プレビュー — %1</translation>
    </message>
    <message>
        <source>Printed a copy of %1.</source>
        <translation>%1 の控えを印刷しました。</translation>
    </message>
    <message>
        <source>Save the signed consent form</source>
        <translation>署名済みの同意書を保存</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文書 (*.pdf)</translation>
    </message>
    <message>
        <source>Saved to %1, signed by the clinic (consult verify checks it).</source>
        <translation>%1 に保存しました。クリニックの電子署名付きです（consult verify で検証できます）。</translation>
    </message>
    <message>
        <source>Saved to %1: sealed before forms were signed, so it is not signed (the clinic&apos;s database vouches for it).</source>
        <translation>%1 に保存しました。電子署名の導入前に封印された同意書のため、署名はありません（クリニックのデータベースが真正性を保証します）。</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>保存できませんでした: %1</translation>
    </message>
</context>
<context>
    <name>SectionConfirmBar</name>
    <message>
        <source>Unchanged</source>
        <translation>変更なし</translation>
    </message>
    <message>
        <source>%1: unchanged since the last visit</source>
        <translation>%1: 前回の来院から変更なし</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>%1: update the answers</source>
        <translation>%1: 回答を更新</translation>
    </message>
    <message>
        <source>As at the last visit (%1)? Confirm unchanged, or update.</source>
        <translation>前回の来院時（%1）と同じですか？ 変更がないことを確認するか、更新してください。</translation>
    </message>
    <message>
        <source>✓ Unchanged since the last visit (%1).</source>
        <translation>✓ 前回の来院（%1）から変更なし。</translation>
    </message>
    <message>
        <source>Updated: the answers of the last visit (%1), to change.</source>
        <translation>更新: 前回の来院（%1）の回答を変更します。</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Sign in</source>
        <translation>ログイン</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>ユーザー名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <source>&amp;Username</source>
        <translation>ユーザー名(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>パスワード(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>ログイン(&amp;S)</translation>
    </message>
    <message>
        <source>Opening the clinic database…</source>
        <translation>クリニックのデータベースを開いています…</translation>
    </message>
    <message>
        <source>Enter your username and password.</source>
        <translation>ユーザー名とパスワードを入力してください。</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>ログイン中…</translation>
    </message>
</context>
<context>
    <name>SignatureBox</name>
    <message>
        <source>&amp;Undo</source>
        <translation>元に戻す(&amp;U)</translation>
    </message>
    <message>
        <source>Undo last stroke</source>
        <translation>最後の一画を元に戻す</translation>
    </message>
    <message>
        <source>Remove the last stroke (Ctrl+Z)</source>
        <translation>最後の一画を消します (Ctrl+Z)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>やり直す(&amp;R)</translation>
    </message>
    <message>
        <source>Redo stroke</source>
        <translation>一画をやり直す</translation>
    </message>
    <message>
        <source>Bring back the stroke removed last (Ctrl+Shift+Z)</source>
        <translation>最後に消した一画を戻します (Ctrl+Shift+Z)</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>消去(&amp;L)</translation>
    </message>
    <message>
        <source>Clear signature</source>
        <translation>署名を消去</translation>
    </message>
    <message>
        <source>Erase the whole signature (Delete)</source>
        <translation>署名をすべて消します (Delete)</translation>
    </message>
    <message>
        <source>Signature of %1, %2</source>
        <translation>%1（%2）の署名</translation>
    </message>
    <message>
        <source>Signature of %1</source>
        <translation>%1 の署名</translation>
    </message>
    <message>
        <source>Signature pad</source>
        <translation>署名欄</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <source>×  Sign here</source>
        <translation>×  ここに署名</translation>
    </message>
    <message>
        <source>Signature pad</source>
        <translation>署名欄</translation>
    </message>
    <message>
        <source>Please sign in the box.</source>
        <translation>枠内に署名してください。</translation>
    </message>
    <message>
        <source>This looks like a dot or a short line rather than a signature. Please clear the box and sign as you usually do.</source>
        <translation>署名ではなく点や短い線のようです。いったん消去して、いつもどおりに署名してください。</translation>
    </message>
    <message>
        <source>Sign with a finger, a pen or the mouse. Ctrl+Z undoes the last stroke, Ctrl+Shift+Z redoes it, Delete clears the signature.</source>
        <translation>指、ペン、またはマウスで署名してください。Ctrl+Z で最後の一画を元に戻し、Ctrl+Shift+Z でやり直し、Delete で署名を消去します。</translation>
    </message>
</context>
<context>
    <name>SignersPanel</name>
    <message>
        <source>Parent or guardian (required: the patient is under 18)</source>
        <translation>親権者または後見人（患者が 18 歳未満のため必須）</translation>
    </message>
    <message>
        <source>Consent given for the patient</source>
        <translation>患者に代わって同意しました</translation>
    </message>
    <message>
        <source>Parent or guardian</source>
        <translation>親権者または後見人</translation>
    </message>
    <message>
        <source>Witness (required by the clinic for this treatment)</source>
        <translation>立会人（この施術ではクリニックの規定により必須）</translation>
    </message>
    <message>
        <source>Signatures witnessed</source>
        <translation>署名に立ち会いました</translation>
    </message>
    <message>
        <source>Witness</source>
        <translation>立会人</translation>
    </message>
    <message>
        <source>Interpreter</source>
        <translation>通訳者</translation>
    </message>
    <message>
        <source>Information interpreted</source>
        <translation>説明を通訳しました</translation>
    </message>
    <message>
        <source>An interpreter interpreted for the patient</source>
        <translation>通訳者が患者のために通訳しました</translation>
    </message>
    <message>
        <source>%1&apos;s name</source>
        <translation>%1の氏名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>氏名</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>氏名:</translation>
    </message>
    <message>
        <source>Relationship to the patient</source>
        <translation>患者との続柄</translation>
    </message>
    <message>
        <source>e.g. mother, legal guardian</source>
        <translation>例: 母、法定後見人</translation>
    </message>
    <message>
        <source>Relationship:</source>
        <translation>続柄:</translation>
    </message>
    <message>
        <source>Interpreter&apos;s statement</source>
        <translation>通訳者の申述</translation>
    </message>
    <message>
        <source>Enter the signer&apos;s name.</source>
        <translation>署名者の氏名を入力してください。</translation>
    </message>
    <message>
        <source>Enter the relationship to the patient.</source>
        <translation>患者との続柄を入力してください。</translation>
    </message>
    <message>
        <source>to sign: %1</source>
        <translation>未署名: %1</translation>
    </message>
</context>
<context>
    <name>StackedBarChart</name>
    <message>
        <source>No consents in the period</source>
        <translation>この期間の同意はありません</translation>
    </message>
</context>
<context>
    <name>StoreErrors</name>
    <message>
        <source>Screen the consultation before consent.</source>
        <translation>同意の前に禁忌チェックを行ってください。</translation>
    </message>
    <message>
        <source>Phone number: this is not a valid phone number. Check the digits, or type it in international form, starting with + and the country code.</source>
        <translation>電話番号: 有効な電話番号ではありません。数字を確認するか、+ と国番号から始まる国際形式で入力してください。</translation>
    </message>
    <message>
        <source>Phone number: type it in international form, starting with + and the country code (for example +33 6 12 34 56 78): this clinic&apos;s jurisdiction has no single country to read a national number in.</source>
        <translation>電話番号: + と国番号から始まる国際形式で入力してください（例: +33 6 12 34 56 78）。このクリニックの法域では、国内番号として読み取る国が 1 つに定まりません。</translation>
    </message>
    <message>
        <source>Phone number: an extension is not stored; type the number only and put the extension in the address or a note.</source>
        <translation>電話番号: 内線番号は保存されません。番号だけを入力し、内線番号は住所欄かメモに記入してください。</translation>
    </message>
    <message>
        <source>The signature is empty: please sign in the box.</source>
        <translation>署名が空です。枠の中に署名してください。</translation>
    </message>
    <message>
        <source>The signature data is damaged: please sign again.</source>
        <translation>署名データが破損しています。もう一度署名してください。</translation>
    </message>
    <message>
        <source>That is too small to be a signature: please sign your name in the box.</source>
        <translation>署名としては小さすぎます。枠の中にお名前を署名してください。</translation>
    </message>
    <message>
        <source>The signer&apos;s printed name is required.</source>
        <translation>署名者の氏名（活字）が必要です。</translation>
    </message>
    <message>
        <source>The parent&apos;s or guardian&apos;s relationship to the patient is required.</source>
        <translation>親権者または後見人と患者との続柄を入力してください。</translation>
    </message>
    <message>
        <source>The language the interpreter interpreted into is required.</source>
        <translation>通訳者が通訳した言語を入力してください。</translation>
    </message>
    <message>
        <source>not a URL</source>
        <translation>URL ではありません</translation>
    </message>
    <message>
        <source>use an http:// or https:// URL naming the timestamp service</source>
        <translation>タイムスタンプサービスの URL を http:// または https:// で入力してください</translation>
    </message>
    <message>
        <source>write the out-of-hours telephone number as digits (+, spaces, dashes)</source>
        <translation>時間外連絡先の電話番号は数字で入力してください（+、スペース、ハイフンも使えます）</translation>
    </message>
    <message>
        <source>the out-of-hours telephone number needs at least six digits</source>
        <translation>時間外連絡先の電話番号には 6 桁以上の数字が必要です</translation>
    </message>
    <message>
        <source>%1 is not planned in this consultation.</source>
        <translation>%1 はこのカウンセリングで計画されていません。</translation>
    </message>
    <message>
        <source>This consultation is %1: no consent can be taken in it.</source>
        <translation>このカウンセリングは「%1」です。同意を取得できません。</translation>
    </message>
    <message>
        <source>%1 cannot go to consent: screening says %2.</source>
        <translation>%1 は同意に進めません。禁忌チェックの結果: %2。</translation>
    </message>
    <message>
        <source>Consultation %1 does not exist.</source>
        <translation>カウンセリング %1 は存在しません。</translation>
    </message>
    <message>
        <source>no consent template for %1</source>
        <translation>%1 の同意書テンプレートがありません</translation>
    </message>
    <message>
        <source>The patient has not initialled “%1”.</source>
        <translation>患者様が「%1」にイニシャルを記入していません。</translation>
    </message>
    <message>
        <source>Answer yes or no.</source>
        <translation>「はい」か「いいえ」で回答してください。</translation>
    </message>
    <message>
        <source>Only the practitioner of this consultation takes consent.</source>
        <translation>同意を取得できるのは、このカウンセリングの担当施術者だけです。</translation>
    </message>
    <message>
        <source>Consent for %1 is already signed.</source>
        <translation>%1 の同意書はすでに署名されています。</translation>
    </message>
    <message>
        <source>The consent text changed: show it again.</source>
        <translation>同意書の本文が変更されました。もう一度表示してください。</translation>
    </message>
    <message>
        <source>Consent record %1 does not exist.</source>
        <translation>同意の記録 %1 は存在しません。</translation>
    </message>
    <message>
        <source>Give the reason (at least 5 characters).</source>
        <translation>理由を入力してください（5 文字以上）。</translation>
    </message>
    <message>
        <source>Only a manager or the treating practitioner can do this.</source>
        <translation>この操作ができるのは、管理者または担当施術者だけです。</translation>
    </message>
    <message>
        <source>This consent is already voided.</source>
        <translation>この同意書はすでに無効化されています。</translation>
    </message>
    <message>
        <source>This consent is already withdrawn.</source>
        <translation>この同意はすでに撤回されています。</translation>
    </message>
    <message>
        <source>Given name</source>
        <translation>名</translation>
    </message>
    <message>
        <source>Family name</source>
        <translation>姓</translation>
    </message>
    <message>
        <source>%1 is required.</source>
        <translation>%1を入力してください。</translation>
    </message>
    <message>
        <source>%1 is longer than 200 characters.</source>
        <translation>%1が 200 文字を超えています。</translation>
    </message>
    <message>
        <source>%1 must not contain digits or control characters.</source>
        <translation>%1に数字や制御文字は使えません。</translation>
    </message>
    <message>
        <source>%1 must contain letters.</source>
        <translation>%1には文字を含めてください。</translation>
    </message>
    <message>
        <source>Date of birth is required.</source>
        <translation>生年月日を入力してください。</translation>
    </message>
    <message>
        <source>Date of birth is in the future.</source>
        <translation>生年月日が未来の日付になっています。</translation>
    </message>
    <message>
        <source>Date of birth is more than 130 years ago.</source>
        <translation>生年月日が 130 年以上前になっています。</translation>
    </message>
    <message>
        <source>Choose female, male or intersex.</source>
        <translation>女性、男性、インターセックスのいずれかを選んでください。</translation>
    </message>
    <message>
        <source>E-mail address is not valid (name@example.com).</source>
        <translation>メールアドレスが正しくありません（例: name@example.com）。</translation>
    </message>
    <message>
        <source>Address is longer than 2000 characters.</source>
        <translation>住所が 2000 文字を超えています。</translation>
    </message>
    <message>
        <source>Choose the language the patient reads.</source>
        <translation>患者様が読む言語を選んでください。</translation>
    </message>
    <message>
        <source>Someone else saved this patient while you were editing. Nothing was overwritten: reopen the patient and make your change again.</source>
        <translation>編集中に、ほかの人がこの患者の情報を保存しました。上書きはされていません。患者を開き直して、もう一度変更してください。</translation>
    </message>
    <message>
        <source>Someone else saved this patient at the same moment. Nothing was overwritten: reopen the patient and make your change again.</source>
        <translation>同時に、ほかの人がこの患者の情報を保存しました。上書きはされていません。患者を開き直して、もう一度変更してください。</translation>
    </message>
    <message>
        <source>The username or password is not correct. (After %1 failed sign-ins in a row an account is locked for %2 minutes; a manager can unlock it sooner.)</source>
        <translation>ユーザー名またはパスワードが正しくありません。（ログインに %1 回続けて失敗すると、アカウントは %2 分間ロックされます。管理者はそれより早くロックを解除できます。）</translation>
    </message>
    <message>
        <source>the person&apos;s name is required</source>
        <translation>氏名を入力してください</translation>
    </message>
    <message>
        <source>choose at least one role</source>
        <translation>役割を 1 つ以上選んでください</translation>
    </message>
    <message>
        <source>a practitioner needs a professional qualification</source>
        <translation>施術者には資格の登録が必要です</translation>
    </message>
    <message>
        <source>use 2-64 lower-case letters, digits, dots, dashes or underscores</source>
        <translation>2〜64 文字の英小文字、数字、ピリオド、ハイフン、アンダースコアを使ってください</translation>
    </message>
    <message>
        <source>%1 is already taken</source>
        <translation>%1 はすでに使われています</translation>
    </message>
    <message>
        <source>This user was changed elsewhere: nothing was overwritten, reopen the list.</source>
        <translation>このユーザーはほかの場所で変更されました。上書きはされていません。一覧を開き直してください。</translation>
    </message>
    <message>
        <source>User %1 does not exist.</source>
        <translation>ユーザー %1 は存在しません。</translation>
    </message>
    <message>
        <source>the clinic needs at least one active manager</source>
        <translation>クリニックには有効な管理者が 1 人以上必要です</translation>
    </message>
    <message>
        <source>you cannot deactivate your own account</source>
        <translation>自分のアカウントは無効にできません</translation>
    </message>
    <message>
        <source>A PIN is %1 to %2 digits (0-9): no letters, spaces or other signs.</source>
        <translation>PIN は %1〜%2 桁の数字（0〜9）です。文字、スペース、記号は使えません。</translation>
    </message>
    <message>
        <source>This PIN is too easy to guess (one digit repeated, or digits in a row): choose another.</source>
        <translation>この PIN は推測されやすすぎます（同じ数字の繰り返し、または連続した数字）。別の PIN を選んでください。</translation>
    </message>
    <message>
        <source>The PIN is not correct.</source>
        <translation>PIN が正しくありません。</translation>
    </message>
    <message>
        <source>the current password is not correct</source>
        <translation>現在のパスワードが正しくありません</translation>
    </message>
    <message>
        <source>This account is locked after %1 failed attempts: another user may sign in, or ask a manager.</source>
        <translation>%1 回失敗したため、このアカウントはロックされています。別のユーザーがログインするか、管理者に依頼してください。</translation>
    </message>
    <message>
        <source>The password is not correct.</source>
        <translation>パスワードが正しくありません。</translation>
    </message>
    <message>
        <source>add photos</source>
        <translation>写真の追加</translation>
    </message>
    <message>
        <source>add to a treatment record</source>
        <translation>施術記録への追記</translation>
    </message>
    <message>
        <source>change a complication</source>
        <translation>合併症の変更</translation>
    </message>
    <message>
        <source>change the clinic&apos;s settings</source>
        <translation>クリニック設定の変更</translation>
    </message>
    <message>
        <source>change the product list</source>
        <translation>製品リストの変更</translation>
    </message>
    <message>
        <source>change their password</source>
        <translation>自分のパスワードの変更</translation>
    </message>
    <message>
        <source>change users&apos; roles</source>
        <translation>ユーザーの役割の変更</translation>
    </message>
    <message>
        <source>chart a treatment</source>
        <translation>施術チャートの記録</translation>
    </message>
    <message>
        <source>check the audit log&apos;s integrity</source>
        <translation>監査ログの整合性チェック</translation>
    </message>
    <message>
        <source>choose their interface language</source>
        <translation>自分の画面の言語の選択</translation>
    </message>
    <message>
        <source>create users</source>
        <translation>ユーザーの作成</translation>
    </message>
    <message>
        <source>deactivate users</source>
        <translation>ユーザーの無効化</translation>
    </message>
    <message>
        <source>delete photos past retention</source>
        <translation>保存期間を過ぎた写真の削除</translation>
    </message>
    <message>
        <source>edit patients</source>
        <translation>患者情報の編集</translation>
    </message>
    <message>
        <source>export a lot recall</source>
        <translation>ロットの回収リストの書き出し</translation>
    </message>
    <message>
        <source>export consent records</source>
        <translation>同意の記録の書き出し</translation>
    </message>
    <message>
        <source>export the audit log</source>
        <translation>監査ログの書き出し</translation>
    </message>
    <message>
        <source>find signed consent forms</source>
        <translation>署名済みの同意書の検索</translation>
    </message>
    <message>
        <source>follow an intake on a kiosk station</source>
        <translation>キオスク端末での問診の進行確認</translation>
    </message>
    <message>
        <source>hand a form to the patient</source>
        <translation>患者様への同意書の引き渡し</translation>
    </message>
    <message>
        <source>hand an intake to a kiosk station</source>
        <translation>キオスク端末への問診の引き渡し</translation>
    </message>
    <message>
        <source>import the clinic&apos;s signing certificate</source>
        <translation>クリニックの署名用証明書の取り込み</translation>
    </message>
    <message>
        <source>list follow-up reviews</source>
        <translation>経過観察の一覧表示</translation>
    </message>
    <message>
        <source>list open complications</source>
        <translation>対応中の合併症の一覧表示</translation>
    </message>
    <message>
        <source>look up patients</source>
        <translation>患者の検索</translation>
    </message>
    <message>
        <source>mark a consent voided</source>
        <translation>同意の無効化</translation>
    </message>
    <message>
        <source>mark a consent withdrawn</source>
        <translation>同意の撤回の記録</translation>
    </message>
    <message>
        <source>mark a follow-up review</source>
        <translation>経過観察の記録</translation>
    </message>
    <message>
        <source>open patients</source>
        <translation>患者情報の表示</translation>
    </message>
    <message>
        <source>open signed consent forms</source>
        <translation>署名済みの同意書の表示</translation>
    </message>
    <message>
        <source>override a screening finding</source>
        <translation>禁忌チェックの所見に対する続行判断</translation>
    </message>
    <message>
        <source>preview signed consent forms</source>
        <translation>署名済みの同意書のプレビュー</translation>
    </message>
    <message>
        <source>print a patient&apos;s letter</source>
        <translation>患者様へのお知らせの印刷</translation>
    </message>
    <message>
        <source>print an aftercare sheet</source>
        <translation>アフターケアシートの印刷</translation>
    </message>
    <message>
        <source>print signed consent forms</source>
        <translation>署名済みの同意書の印刷</translation>
    </message>
    <message>
        <source>quarantine a lot</source>
        <translation>ロットの使用停止</translation>
    </message>
    <message>
        <source>reactivate users</source>
        <translation>ユーザーの再有効化</translation>
    </message>
    <message>
        <source>read a consent record</source>
        <translation>同意の記録の閲覧</translation>
    </message>
    <message>
        <source>read a consultation&apos;s intake</source>
        <translation>カウンセリングの問診の閲覧</translation>
    </message>
    <message>
        <source>read a consultation&apos;s outcome</source>
        <translation>カウンセリングの結果の閲覧</translation>
    </message>
    <message>
        <source>read a patient&apos;s photos</source>
        <translation>患者の写真の閲覧</translation>
    </message>
    <message>
        <source>read complications</source>
        <translation>合併症の閲覧</translation>
    </message>
    <message>
        <source>read the audit log</source>
        <translation>監査ログの閲覧</translation>
    </message>
    <message>
        <source>read their interface language</source>
        <translation>自分の画面の言語の参照</translation>
    </message>
    <message>
        <source>read treatment charts</source>
        <translation>施術チャートの閲覧</translation>
    </message>
    <message>
        <source>record a complication</source>
        <translation>合併症の記録</translation>
    </message>
    <message>
        <source>record product lots</source>
        <translation>製品ロットの登録</translation>
    </message>
    <message>
        <source>record that a treatment was not given</source>
        <translation>施術見送りの記録</translation>
    </message>
    <message>
        <source>register a kiosk station</source>
        <translation>キオスク端末の登録</translation>
    </message>
    <message>
        <source>register patients</source>
        <translation>患者の登録</translation>
    </message>
    <message>
        <source>release a quarantined lot</source>
        <translation>使用停止中のロットの解除</translation>
    </message>
    <message>
        <source>report a complication</source>
        <translation>合併症の報告</translation>
    </message>
    <message>
        <source>reset passwords</source>
        <translation>パスワードのリセット</translation>
    </message>
    <message>
        <source>review photos past retention</source>
        <translation>保存期間を過ぎた写真の確認</translation>
    </message>
    <message>
        <source>review the consent register</source>
        <translation>同意書台帳の確認</translation>
    </message>
    <message>
        <source>run a consultation</source>
        <translation>カウンセリングの実施</translation>
    </message>
    <message>
        <source>screen a patient</source>
        <translation>患者の禁忌チェック</translation>
    </message>
    <message>
        <source>search for a lot recall</source>
        <translation>ロットの回収対象の検索</translation>
    </message>
    <message>
        <source>see the clinic&apos;s dashboard</source>
        <translation>クリニックのダッシュボードの表示</translation>
    </message>
    <message>
        <source>see the day&apos;s consultations</source>
        <translation>当日のカウンセリングの表示</translation>
    </message>
    <message>
        <source>see the list of users</source>
        <translation>ユーザー一覧の表示</translation>
    </message>
    <message>
        <source>see the product list</source>
        <translation>製品リストの表示</translation>
    </message>
    <message>
        <source>see whether they have a PIN for patient mode</source>
        <translation>患者モードの PIN の設定状況の確認</translation>
    </message>
    <message>
        <source>set a PIN to take patient mode back</source>
        <translation>患者モードから引き継ぐための PIN の設定</translation>
    </message>
    <message>
        <source>sign a treatment off</source>
        <translation>施術記録の確定</translation>
    </message>
    <message>
        <source>take an intake back from a kiosk station</source>
        <translation>キオスク端末からの問診の引き取り</translation>
    </message>
    <message>
        <source>take consent</source>
        <translation>同意の取得</translation>
    </message>
    <message>
        <source>take patient mode back</source>
        <translation>患者モードからの引き継ぎ</translation>
    </message>
    <message>
        <source>unlock the screen</source>
        <translation>画面のロック解除</translation>
    </message>
    <message>
        <source>verify signed forms</source>
        <translation>署名済みの同意書の検証</translation>
    </message>
    <message>
        <source>withdraw a photograph consent</source>
        <translation>写真撮影の同意の撤回</translation>
    </message>
    <message>
        <source>%1 is recorded as not given in this consultation: it cannot go to consent.</source>
        <translation>%1 はこのカウンセリングで施術見送りとして記録されています。同意に進めません。</translation>
    </message>
    <message>
        <source>The end date is before the start date.</source>
        <translation>終了日が開始日より前になっています。</translation>
    </message>
    <message>
        <source>Give a lot number, a product or an expiry window.</source>
        <translation>ロット番号、製品、または有効期限の範囲を指定してください。</translation>
    </message>
    <message>
        <source>The end of the window is before its start.</source>
        <translation>範囲の終わりが始まりより前になっています。</translation>
    </message>
    <message>
        <source>%1 or %2</source>
        <translation>%1 または %2</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1、%2</translation>
    </message>
    <message>
        <source>%1the file is empty.</source>
        <translation>%1ファイルが空です。</translation>
    </message>
    <message>
        <source>%1the file is %2 MB; photos of up to %3 MB are taken.</source>
        <translation>%1ファイルのサイズは %2 MB です。取り込めるのは %3 MB までの写真です。</translation>
    </message>
    <message>
        <source>%1the picture is %2×%3 pixels, more than a photo has.</source>
        <translation>%1画像が %2×%3 ピクセルで、写真としては大きすぎます。</translation>
    </message>
    <message>
        <source>%1the picture has more pixels than a photo has.</source>
        <translation>%1画像のピクセル数が、写真としては多すぎます。</translation>
    </message>
    <message>
        <source>%1this is not a picture Consult can read (JPEG, PNG, TIFF, WebP).</source>
        <translation>%1Consult で読み取れる画像ではありません（JPEG、PNG、TIFF、WebP）。</translation>
    </message>
    <message>
        <source>%1the picture is damaged or incomplete and cannot be read.</source>
        <translation>%1画像が破損しているか不完全なため、読み取れません。</translation>
    </message>
    <message>
        <source>The first day is after the last day.</source>
        <translation>開始日が終了日より後になっています。</translation>
    </message>
    <message>
        <source>the clinic&apos;s name is required</source>
        <translation>クリニック名を入力してください</translation>
    </message>
    <message>
        <source>must be one of %1</source>
        <translation>%1 のいずれかにしてください</translation>
    </message>
    <message>
        <source>the first user must be a manager</source>
        <translation>最初のユーザーは管理者でなければなりません</translation>
    </message>
    <message>
        <source>This database already has a clinic.</source>
        <translation>このデータベースにはすでにクリニックが登録されています。</translation>
    </message>
    <message>
        <source>The clinic&apos;s settings were changed elsewhere: reopen them.</source>
        <translation>クリニックの設定がほかの場所で変更されました。開き直してください。</translation>
    </message>
    <message>
        <source>lock the screen after %1 to %2 minutes</source>
        <translation>画面をロックするまでの時間は %1〜%2 分にしてください</translation>
    </message>
    <message>
        <source>keep hidden photos %1 to %2 days</source>
        <translation>非表示の写真の保存期間は %1〜%2 日にしてください</translation>
    </message>
    <message>
        <source>The form cannot be signed: %1</source>
        <translation>同意書に電子署名できません: %1</translation>
    </message>
    <message>
        <source>The certificate cannot be kept: %1</source>
        <translation>証明書を保存できません: %1</translation>
    </message>
    <message>
        <source>This complication was changed elsewhere: reopen it.</source>
        <translation>この合併症はほかの場所で変更されました。開き直してください。</translation>
    </message>
    <message>
        <source>Choose what happened.</source>
        <translation>発生した事象を選んでください。</translation>
    </message>
    <message>
        <source>Describe what happened.</source>
        <translation>発生した事象の詳細を記入してください。</translation>
    </message>
    <message>
        <source>Choose how severe it is.</source>
        <translation>重症度を選んでください。</translation>
    </message>
    <message>
        <source>Choose the outcome.</source>
        <translation>転帰を選んでください。</translation>
    </message>
    <message>
        <source>Give the date it was noticed.</source>
        <translation>発見日を入力してください。</translation>
    </message>
    <message>
        <source>The date noticed is in the future.</source>
        <translation>発見日が未来の日付になっています。</translation>
    </message>
    <message>
        <source>The date noticed is before the treatment (%1).</source>
        <translation>発見日が施術日（%1）より前になっています。</translation>
    </message>
    <message>
        <source>The follow-up date is before the date noticed.</source>
        <translation>経過観察日が発見日より前になっています。</translation>
    </message>
    <message>
        <source>No consented treatment of this consultation has that name.</source>
        <translation>このカウンセリングで同意済みの施術に、その名称のものはありません。</translation>
    </message>
    <message>
        <source>That consent was voided: it was never given.</source>
        <translation>その同意は無効化されています（同意は成立していません）。</translation>
    </message>
    <message>
        <source>Complication %1 does not exist.</source>
        <translation>合併症 %1 は存在しません。</translation>
    </message>
    <message>
        <source>Only one %1 signs a consent.</source>
        <translation>同意書に署名できる %1 は 1 人だけです。</translation>
    </message>
    <message>
        <source>A rule forbids this treatment for a patient under 18: no parent&apos;s or guardian&apos;s consent can allow it.</source>
        <translation>ルールにより、18 歳未満の患者にはこの施術を行えません。親権者または後見人の同意があっても許可されません。</translation>
    </message>
    <message>
        <source>The patient is an adult: no parent or guardian signs for them.</source>
        <translation>患者は成人のため、親権者または後見人は署名しません。</translation>
    </message>
    <message>
        <source>The patient is under 18: a parent or guardian must sign too.</source>
        <translation>患者は 18 歳未満です。親権者または後見人の署名も必要です。</translation>
    </message>
    <message>
        <source>The clinic asks a witness to sign the consent for this treatment.</source>
        <translation>この施術では、クリニックの規定により立会人の署名が必要です。</translation>
    </message>
    <message>
        <source>An interpreter must sign.</source>
        <translation>通訳者の署名が必要です。</translation>
    </message>
    <message>
        <source>This consultation was changed on another workstation. Nothing was overwritten: reopen it to see the latest version.</source>
        <translation>このカウンセリングは別の端末で変更されました。上書きはされていません。開き直して最新の内容を確認してください。</translation>
    </message>
    <message>
        <source>This consultation is %1: it cannot change.</source>
        <translation>このカウンセリングは「%1」です。変更できません。</translation>
    </message>
    <message>
        <source>Only the practitioner who started this consultation can change it.</source>
        <translation>このカウンセリングを変更できるのは、開始した施術者だけです。</translation>
    </message>
    <message>
        <source>A consent of this consultation is already signed: its treatments, answers and screening are sealed with it and cannot change. Start a new consultation.</source>
        <translation>このカウンセリングの同意書はすでに署名されています。施術、回答、禁忌チェックは同意書とともに確定しており、変更できません。新しいカウンセリングを開始してください。</translation>
    </message>
    <message>
        <source>Patient %1 does not exist.</source>
        <translation>患者 %1 は存在しません。</translation>
    </message>
    <message>
        <source>%1 is planned twice.</source>
        <translation>%1 が重複して計画されています。</translation>
    </message>
    <message>
        <source>choose a route for %1</source>
        <translation>%1 の投与経路を選んでください</translation>
    </message>
    <message>
        <source>choose the product and lot for %1</source>
        <translation>%1 の製品とロットを選んでください</translation>
    </message>
    <message>
        <source>that product is not used for %1</source>
        <translation>その製品は %1 には使用しません</translation>
    </message>
    <message>
        <source>%1 has source %2; %3 needs one of %4</source>
        <translation>%1 の由来は %2 ですが、%3 には %4 のいずれかが必要です</translation>
    </message>
    <message>
        <source>that lot is not a lot of the product</source>
        <translation>そのロットはこの製品のロットではありません</translation>
    </message>
    <message>
        <source>lot %1 expired on %2: it cannot be used</source>
        <translation>ロット %1 は %2 に期限切れになっています。使用できません</translation>
    </message>
    <message>
        <source>after the consultation date</source>
        <translation>カウンセリング日より後の日付です</translation>
    </message>
    <message>
        <source>before the date of birth</source>
        <translation>生年月日より前の日付です</translation>
    </message>
    <message>
        <source>Choose at least one treatment first.</source>
        <translation>先に施術を 1 つ以上選んでください。</translation>
    </message>
    <message>
        <source>Screen the consultation first.</source>
        <translation>先に禁忌チェックを行ってください。</translation>
    </message>
    <message>
        <source>%1 is not a finding for %2.</source>
        <translation>%1 は %2 の所見ではありません。</translation>
    </message>
    <message>
        <source>An absolute contraindication cannot be overridden.</source>
        <translation>絶対禁忌の場合は続行できません。</translation>
    </message>
    <message>
        <source>%1 is the same finding as %2: decide that one.</source>
        <translation>%1 は %2 と同じ所見です。そちらで判断してください。</translation>
    </message>
    <message>
        <source>Say why the consultation is closed.</source>
        <translation>カウンセリングを終了する理由を入力してください。</translation>
    </message>
    <message>
        <source>Sign in first: to %1 needs the %2 role.</source>
        <translation>先にログインしてください。「%1」には%2の役割が必要です。</translation>
    </message>
    <message>
        <source>Your account has been deactivated. Ask a manager if this is a mistake.</source>
        <translation>あなたのアカウントは無効になっています。誤りの場合は管理者に問い合わせてください。</translation>
    </message>
    <message>
        <source>A new password is required for your account: sign in again to set it.</source>
        <translation>アカウントに新しいパスワードの設定が必要です。もう一度ログインして設定してください。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>Your roles were changed (now: %1); you may no longer %2. Sign in again.</source>
        <translation>役割が変更されました（現在: %1）。「%2」はできなくなりました。もう一度ログインしてください。</translation>
    </message>
    <message>
        <source>%1 may not %2: this needs the %3 role.</source>
        <translation>%1 さんは「%2」を行えません。%3の役割が必要です。</translation>
    </message>
    <message>
        <source>Mark a review as %1.</source>
        <translation>経過観察は %1 のいずれかで記録してください。</translation>
    </message>
    <message>
        <source>Treatment %1 does not exist.</source>
        <translation>施術 %1 は存在しません。</translation>
    </message>
    <message>
        <source>There is no consent record %1.</source>
        <translation>同意の記録 %1 はありません。</translation>
    </message>
    <message>
        <source>A kiosk station needs the clinic&apos;s PostgreSQL server: this clinic&apos;s database is embedded in one workstation. On that workstation, use Hand to patient with a second screen instead.</source>
        <translation>キオスク端末を使うには、クリニックの PostgreSQL サーバーが必要です。このクリニックのデータベースは 1 台の端末に組み込まれています。その端末で、2 台目の画面を使って「患者様に渡す」を利用してください。</translation>
    </message>
    <message>
        <source>use 1-64 letters, digits, spaces, dots, dashes or underscores</source>
        <translation>1〜64 文字の英字、数字、スペース、ピリオド、ハイフン、アンダースコアを使ってください</translation>
    </message>
    <message>
        <source>This kiosk station was retired by a manager.</source>
        <translation>このキオスク端末は管理者によって登録を解除されました。</translation>
    </message>
    <message>
        <source>a count (a whole number, 0 or more)</source>
        <translation>件数（0 以上の整数）</translation>
    </message>
    <message>
        <source>The patient has finished: the answers wait for the practitioner.</source>
        <translation>患者様の回答が終わりました。回答は施術者の確認を待っています。</translation>
    </message>
    <message>
        <source>Consultation %1 is not handed to this kiosk station (or was taken back).</source>
        <translation>カウンセリング %1 はこのキオスク端末に渡されていません（または引き取られました）。</translation>
    </message>
    <message>
        <source>Only the practitioner who started this consultation can hand it over.</source>
        <translation>このカウンセリングを患者様に渡せるのは、開始した施術者だけです。</translation>
    </message>
    <message>
        <source>A consent of this consultation is already signed: its answers are sealed.</source>
        <translation>このカウンセリングの同意書はすでに署名されています。回答は確定しています。</translation>
    </message>
    <message>
        <source>Kiosk station %1 does not exist.</source>
        <translation>キオスク端末 %1 は存在しません。</translation>
    </message>
    <message>
        <source>%1 is busy with another patient, or this intake is already on a kiosk station.</source>
        <translation>%1 は別の患者様が使用中か、この問診はすでにキオスク端末に渡されています。</translation>
    </message>
    <message>
        <source>%1 is not waiting: is it switched on?</source>
        <translation>%1 は待機中ではありません。電源が入っているか確認してください。</translation>
    </message>
    <message>
        <source>Consultation %1 is on no kiosk station.</source>
        <translation>カウンセリング %1 はどのキオスク端末にも渡されていません。</translation>
    </message>
    <message>
        <source>Only the practitioner who handed this intake over can take it back.</source>
        <translation>この問診を引き取れるのは、渡した施術者だけです。</translation>
    </message>
    <message>
        <source>This consultation was changed on another workstation. Nothing was recorded: reopen it to see the latest version.</source>
        <translation>このカウンセリングは別の端末で変更されました。記録はされていません。開き直して最新の内容を確認してください。</translation>
    </message>
    <message>
        <source>Name the treatments that were not given.</source>
        <translation>行わなかった施術を指定してください。</translation>
    </message>
    <message>
        <source>This consultation is %1: its outcome cannot change.</source>
        <translation>このカウンセリングは「%1」です。結果は変更できません。</translation>
    </message>
    <message>
        <source>Only the practitioner who runs this consultation can record its outcome.</source>
        <translation>このカウンセリングの結果を記録できるのは、担当の施術者だけです。</translation>
    </message>
    <message>
        <source>The outcome of this consultation is already recorded.</source>
        <translation>このカウンセリングの結果はすでに記録されています。</translation>
    </message>
    <message>
        <source>%1 is already consented in this consultation: it cannot be recorded as not given.</source>
        <translation>%1 はこのカウンセリングですでに同意済みです。施術見送りとして記録できません。</translation>
    </message>
    <message>
        <source>Say why the treatment that nothing forbade was not given.</source>
        <translation>禁忌のない施術を行わなかった理由を入力してください。</translation>
    </message>
    <message>
        <source>Consultation %1 has no recorded outcome.</source>
        <translation>カウンセリング %1 には記録された結果がありません。</translation>
    </message>
    <message>
        <source>The patient did not consent to photographs in this consultation.</source>
        <translation>このカウンセリングでは、患者は写真撮影に同意していません。</translation>
    </message>
    <message>
        <source>The patient withdrew their consent to photographs in this consultation.</source>
        <translation>このカウンセリングでは、患者は写真撮影の同意を撤回しました。</translation>
    </message>
    <message>
        <source>The consent form that allowed photographs was withdrawn or voided.</source>
        <translation>写真撮影を許可した同意書は撤回または無効化されています。</translation>
    </message>
    <message>
        <source>Photo %1 does not exist.</source>
        <translation>写真 %1 は存在しません。</translation>
    </message>
    <message>
        <source>This photo is no longer shown: the photograph consent ended.</source>
        <translation>この写真は表示されなくなりました。写真撮影の同意が終了しています。</translation>
    </message>
    <message>
        <source>The photo changed after it was prepared.</source>
        <translation>写真が準備後に変更されました。</translation>
    </message>
    <message>
        <source>That treatment is not of this consultation.</source>
        <translation>その施術はこのカウンセリングのものではありません。</translation>
    </message>
    <message>
        <source>The photograph consent is already withdrawn.</source>
        <translation>写真撮影の同意はすでに撤回されています。</translation>
    </message>
    <message>
        <source>This photo is already deleted.</source>
        <translation>この写真はすでに削除されています。</translation>
    </message>
    <message>
        <source>Only a photo hidden for longer than the retention can be deleted.</source>
        <translation>削除できるのは、保存期間を超えて非表示になっている写真だけです。</translation>
    </message>
    <message>
        <source>The product&apos;s name is required.</source>
        <translation>製品名を入力してください。</translation>
    </message>
    <message>
        <source>Source must be one of %1.</source>
        <translation>由来は %1 のいずれかにしてください。</translation>
    </message>
    <message>
        <source>Choose the treatment the product is used for.</source>
        <translation>この製品を使用する施術を選んでください。</translation>
    </message>
    <message>
        <source>A product with this name and manufacturer exists.</source>
        <translation>同じ名称と製造元の製品がすでにあります。</translation>
    </message>
    <message>
        <source>This product was changed elsewhere: reopen it.</source>
        <translation>この製品はほかの場所で変更されました。開き直してください。</translation>
    </message>
    <message>
        <source>Product %1 does not exist.</source>
        <translation>製品 %1 は存在しません。</translation>
    </message>
    <message>
        <source>The lot (batch) number is required.</source>
        <translation>ロット（バッチ）番号を入力してください。</translation>
    </message>
    <message>
        <source>The expiry date is required.</source>
        <translation>有効期限を入力してください。</translation>
    </message>
    <message>
        <source>Record the supplier&apos;s accreditation (for example AABB, FACT or a GMP certificate).</source>
        <translation>仕入先の認証を記録してください（例: AABB、FACT、GMP 証明書）。</translation>
    </message>
    <message>
        <source>This lot is already recorded for the product.</source>
        <translation>このロットはこの製品にすでに登録されています。</translation>
    </message>
    <message>
        <source>Lot %1 does not exist.</source>
        <translation>ロット %1 は存在しません。</translation>
    </message>
    <message>
        <source>Give the reason (at least %1 characters).</source>
        <translation>理由を入力してください（%1 文字以上）。</translation>
    </message>
    <message>
        <source>Lot %1 is already quarantined.</source>
        <translation>ロット %1 はすでに使用停止中です。</translation>
    </message>
    <message>
        <source>Lot %1 is not quarantined.</source>
        <translation>ロット %1 は使用停止中ではありません。</translation>
    </message>
    <message>
        <source>lot %1 is quarantined (%2): it cannot be used; choose another lot</source>
        <translation>ロット %1 は使用停止中です（%2）。使用できません。別のロットを選んでください</translation>
    </message>
    <message>
        <source>Screen the consultation with the rules in force.</source>
        <translation>現行のルールで禁忌チェックを行ってください。</translation>
    </message>
    <message>
        <source>This consultation is %1.</source>
        <translation>このカウンセリングは「%1」です。</translation>
    </message>
    <message>
        <source>Consent for %1 is already given in this visit.</source>
        <translation>%1 の同意はこの来院ですでに得られています。</translation>
    </message>
    <message>
        <source>A full consent is needed: %1</source>
        <translation>改めて同意が必要です: %1</translation>
    </message>
    <message>
        <source>Re-confirmation %1 does not exist.</source>
        <translation>再確認 %1 は存在しません。</translation>
    </message>
    <message>
        <source>Treatment chart %1 does not exist.</source>
        <translation>施術チャート %1 は存在しません。</translation>
    </message>
    <message>
        <source>That lot does not exist.</source>
        <translation>そのロットは存在しません。</translation>
    </message>
    <message>
        <source>Lot %1 is another product&apos;s: choose a lot of the planned product.</source>
        <translation>ロット %1 は別の製品のものです。計画した製品のロットを選んでください。</translation>
    </message>
    <message>
        <source>Lot %1 expired on %2.</source>
        <translation>ロット %1 は %2 に期限切れになっています。</translation>
    </message>
    <message>
        <source>Lot %1 is quarantined: %2</source>
        <translation>ロット %1 は使用停止中です: %2</translation>
    </message>
    <message>
        <source>This treatment has been signed off: add an addendum to correct it.</source>
        <translation>この施術記録は確定済みです。訂正するには追記を加えてください。</translation>
    </message>
    <message>
        <source>The chart was changed on another workstation: reload it.</source>
        <translation>施術チャートが別の端末で変更されました。読み込み直してください。</translation>
    </message>
    <message>
        <source>An area is at most 64 characters.</source>
        <translation>部位は 64 文字以内で入力してください。</translation>
    </message>
    <message>
        <source>At most %1 areas.</source>
        <translation>部位は %1 件までです。</translation>
    </message>
    <message>
        <source>Choose the lot used.</source>
        <translation>使用したロットを選んでください。</translation>
    </message>
    <message>
        <source>Say why another lot than the planned one was used.</source>
        <translation>計画と異なるロットを使用した理由を入力してください。</translation>
    </message>
    <message>
        <source>This treatment is not charted point by point.</source>
        <translation>この施術は注入点ごとに記録するものではありません。</translation>
    </message>
    <message>
        <source>Point %1: %2</source>
        <translation>注入点 %1: %2</translation>
    </message>
    <message>
        <source>Notes are at most %1 characters.</source>
        <translation>メモは %1 文字以内で入力してください。</translation>
    </message>
    <message>
        <source>Chart at least one injection point first.</source>
        <translation>先に注入点を 1 つ以上記録してください。</translation>
    </message>
    <message>
        <source>Name the treated areas first.</source>
        <translation>先に施術部位を入力してください。</translation>
    </message>
    <message>
        <source>Write the addendum (at least a few words).</source>
        <translation>追記を入力してください（数語以上）。</translation>
    </message>
    <message>
        <source>An addendum is at most %1 characters.</source>
        <translation>追記は %1 文字以内で入力してください。</translation>
    </message>
    <message>
        <source>Sign the treatment off first: a draft is edited.</source>
        <translation>先に施術記録を確定してください。下書きは直接編集します。</translation>
    </message>
    <message>
        <source>There is no consent template for %1.</source>
        <translation>%1 の同意書テンプレートがありません。</translation>
    </message>
</context>
<context>
    <name>Styles</name>
    <message>
        <source>Absolute contraindication</source>
        <translation>絶対禁忌</translation>
    </message>
    <message>
        <source>Relative contraindication</source>
        <translation>相対禁忌</translation>
    </message>
    <message>
        <source>Caution</source>
        <translation>注意</translation>
    </message>
    <message>
        <source>Blocked: cannot go on to consent in this consultation</source>
        <translation>不可: このカウンセリングでは同意に進めません</translation>
    </message>
    <message>
        <source>Needs clarifying: answers are missing or unsure</source>
        <translation>要確認: 未回答または「わからない」の回答があります</translation>
    </message>
    <message>
        <source>Needs your decision on the findings below</source>
        <translation>下記の所見について判断が必要です</translation>
    </message>
    <message>
        <source>Ready for consent</source>
        <translation>同意に進めます</translation>
    </message>
    <message>
        <source>Clear: no contraindication found. Ready for consent</source>
        <translation>問題なし: 禁忌は見つかりませんでした。同意に進めます</translation>
    </message>
    <message>
        <source>not applicable</source>
        <translation>該当なし</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>4. Summary</source>
        <translation>4. まとめ</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>まとめ</translation>
    </message>
    <message>
        <source>Not treated: letter for the patient</source>
        <translation>施術見送り: 患者様へのお知らせ</translation>
    </message>
    <message>
        <source>Going on to consent</source>
        <translation>同意に進む施術</translation>
    </message>
    <message>
        <source>Consent signed</source>
        <translation>同意書に署名済み</translation>
    </message>
    <message>
        <source>Still waiting for consent</source>
        <translation>同意待ちの施術</translation>
    </message>
    <message>
        <source>Consented</source>
        <translation>同意済みの施術</translation>
    </message>
    <message>
        <source>Consent re-confirmed at this visit</source>
        <translation>今回の来院で同意を再確認済み</translation>
    </message>
    <message>
        <source>Recorded as not treated</source>
        <translation>施術見送りとして記録済み</translation>
    </message>
    <message>
        <source>Nothing is left to go on to consent: every treatment is consented or recorded as not treated.</source>
        <translation>同意に進む施術は残っていません。すべての施術が同意済みか、施術見送りとして記録されています。</translation>
    </message>
    <message>
        <source>Product: %1 (%2), source: %3</source>
        <translation>製品: %1（%2）、由来: %3</translation>
    </message>
    <message>
        <source>Lot %1, expires %2; supplier %3 (%4)</source>
        <translation>ロット %1、有効期限 %2、仕入先 %3（%4）</translation>
    </message>
    <message>
        <source>%1: %2. Justified by %3 on %4: “%5”</source>
        <translation>%1: %2。%3 が %4 に根拠を記録:「%5」</translation>
    </message>
    <message>
        <source>%1: %2. Acknowledged by %3 on %4</source>
        <translation>%1: %2。%3 が %4 に確認済み</translation>
    </message>
    <message>
        <source>Absolute contraindication: %1</source>
        <translation>絶対禁忌: %1</translation>
    </message>
    <message>
        <source>Not given: the practitioner&apos;s decision: “%1”</source>
        <translation>行わない（施術者の判断）:「%1」</translation>
    </message>
    <message>
        <source>Not given: the practitioner&apos;s decision</source>
        <translation>行わない（施術者の判断）</translation>
    </message>
    <message>
        <source>Not going on to consent (blocked)</source>
        <translation>同意に進まない施術（不可）</translation>
    </message>
    <message>
        <source>Not treated: lett&amp;er for the patient…</source>
        <translation>施術見送り: 患者様へのお知らせ(&amp;E)…</translation>
    </message>
    <message>
        <source>Record that treatments are not given, and why, and print a letter for the patient in their language: what was found and what to do next.</source>
        <translation>施術を行わないこととその理由を記録し、患者様の言語でお知らせを印刷します。内容は、判明したことと今後の対応です。</translation>
    </message>
    <message numerus="yes">
        <source>Ready for consent: %n treatment(s)</source>
        <translation>
            <numerusform>同意に進めます: 施術 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing can go on to consent in this consultation: every treatment is blocked.</source>
        <translation>このカウンセリングでは同意に進めるものがありません。すべての施術が不可です。</translation>
    </message>
</context>
<context>
    <name>Tabs</name>
    <message>
        <source>&amp;Today</source>
        <translation>本日(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Patients</source>
        <translation>患者(&amp;P)</translation>
    </message>
    <message>
        <source>Patient &amp;record</source>
        <translation>患者記録(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Consultation</source>
        <translation>カウンセリング(&amp;C)</translation>
    </message>
    <message>
        <source>Pro&amp;ducts</source>
        <translation>製品(&amp;D)</translation>
    </message>
    <message>
        <source>Recept&amp;ion</source>
        <translation>受付(&amp;I)</translation>
    </message>
    <message>
        <source>Re&amp;gister</source>
        <translation>同意書台帳(&amp;G)</translation>
    </message>
    <message>
        <source>Reca&amp;ll</source>
        <translation>ロット回収(&amp;L)</translation>
    </message>
    <message>
        <source>Complications</source>
        <translation>合併症</translation>
    </message>
    <message>
        <source>Dash&amp;board</source>
        <translation>ダッシュボード(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Users</source>
        <translation>ユーザー(&amp;U)</translation>
    </message>
    <message>
        <source>Aud&amp;it log</source>
        <translation>監査ログ(&amp;I)</translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <source>Today</source>
        <translation>本日</translation>
    </message>
    <message>
        <source>Your consultations today. Return or a double-click opens one: a draft to continue where it was left, a finished one to read and to print its forms again. Start a new consultation from a patient&apos;s record.</source>
        <translation>本日のあなたのカウンセリングです。Enter キーまたはダブルクリックで開きます。下書きは中断したところから続けられ、完了したものは閲覧や同意書の再印刷ができます。新しいカウンセリングは患者記録から始めてください。</translation>
    </message>
    <message>
        <source>Today&apos;s consultations</source>
        <translation>本日のカウンセリング</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>開く(&amp;O)</translation>
    </message>
    <message>
        <source>Open the consultation</source>
        <translation>カウンセリングを開く</translation>
    </message>
    <message>
        <source>R&amp;efresh</source>
        <translation>更新(&amp;E)</translation>
    </message>
    <message>
        <source>Refresh the list</source>
        <translation>一覧を更新</translation>
    </message>
    <message>
        <source>Today&apos;s list status</source>
        <translation>本日の一覧の状態</translation>
    </message>
    <message>
        <source>Today, %1</source>
        <translation>本日 %1</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message>
        <source>No consultation yet today.</source>
        <translation>本日のカウンセリングはまだありません。</translation>
    </message>
    <message>
        <source>%1: %2, %3.</source>
        <translation>%1（%2、%3）</translation>
    </message>
    <message numerus="yes">
        <source>%n consultation(s) today</source>
        <translation>
            <numerusform>本日のカウンセリング %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n to continue</source>
        <translation>
            <numerusform>継続中 %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n consented</source>
        <translation>
            <numerusform>同意済み %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Today&apos;s consultations could not be loaded: </source>
        <translation>本日のカウンセリングを読み込めませんでした: </translation>
    </message>
</context>
<context>
    <name>TodayTableModel</name>
    <message>
        <source>Started</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>生年月日</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Where it is</source>
        <translation>進み具合</translation>
    </message>
    <message>
        <source>Treatments</source>
        <translation>施術</translation>
    </message>
    <message>
        <source>Forms signed</source>
        <translation>署名済み同意書</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>完了</translation>
    </message>
</context>
<context>
    <name>TreatmentDialog</name>
    <message>
        <source>Treatment</source>
        <translation>施術</translation>
    </message>
    <message>
        <source>Treatment — %1</source>
        <translation>施術 — %1</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message>
        <source>Treatment status</source>
        <translation>施術の状況</translation>
    </message>
    <message>
        <source>Treatments</source>
        <translation>施術</translation>
    </message>
    <message>
        <source>No treatment of this consultation has been charted.</source>
        <translation>このカウンセリングの施術はまだチャートに記録されていません。</translation>
    </message>
</context>
<context>
    <name>TreatmentResultBox</name>
    <message>
        <source>Also still to clarify (the treatment stays blocked whatever the answers):</source>
        <translation>ほかにも確認が必要です（回答にかかわらず、この施術は不可のままです）:</translation>
    </message>
    <message>
        <source>These answers are needed before this treatment can be screened:</source>
        <translation>この施術の禁忌チェックには、次の回答が必要です:</translation>
    </message>
    <message>
        <source>Questions to clarify</source>
        <translation>確認が必要な質問</translation>
    </message>
    <message>
        <source>Go to the &amp;questions</source>
        <translation>質問へ移動(&amp;Q)</translation>
    </message>
    <message>
        <source>Go to the questions to clarify</source>
        <translation>確認が必要な質問へ移動</translation>
    </message>
</context>
<context>
    <name>TreatmentRow</name>
    <message>
        <source>Choose a treatment…</source>
        <translation>施術を選択…</translation>
    </message>
    <message>
        <source>Treat&amp;ment</source>
        <translation>施術(&amp;M)</translation>
    </message>
    <message>
        <source>Rout&amp;e</source>
        <translation>投与経路(&amp;E)</translation>
    </message>
    <message>
        <source>Pro&amp;duct</source>
        <translation>製品(&amp;D)</translation>
    </message>
    <message>
        <source>L&amp;ot</source>
        <translation>ロット(&amp;O)</translation>
    </message>
    <message>
        <source>Remo&amp;ve</source>
        <translation>削除(&amp;V)</translation>
    </message>
    <message>
        <source>Product details</source>
        <translation>製品の詳細</translation>
    </message>
    <message>
        <source>Treatment %1</source>
        <translation>施術 %1</translation>
    </message>
    <message>
        <source>Route for treatment %1</source>
        <translation>施術 %1 の投与経路</translation>
    </message>
    <message>
        <source>Product for treatment %1</source>
        <translation>施術 %1 の製品</translation>
    </message>
    <message>
        <source>Lot for treatment %1</source>
        <translation>施術 %1 のロット</translation>
    </message>
    <message>
        <source>Remove treatment %1</source>
        <translation>施術 %1 を削除</translation>
    </message>
    <message>
        <source>%1 (expires %2)</source>
        <translation>%1（有効期限 %2）</translation>
    </message>
    <message>
        <source>Every lot of this product has expired (%1 recorded): a manager must record a lot in date.</source>
        <translation>この製品のロットはすべて期限切れです（登録 %1 件）。管理者が有効期限内のロットを登録する必要があります。</translation>
    </message>
    <message>
        <source>Source: %1</source>
        <translation>由来: %1</translation>
    </message>
    <message>
        <source>Supplier: %1</source>
        <translation>仕入先: %1</translation>
    </message>
    <message>
        <source>Accreditation: %1</source>
        <translation>認証: %1</translation>
    </message>
    <message>
        <source>Choose a treatment first</source>
        <translation>先に施術を選択してください</translation>
    </message>
    <message>
        <source>No product recorded for this treatment</source>
        <translation>この施術に登録された製品はありません</translation>
    </message>
    <message>
        <source>Choose a product…</source>
        <translation>製品を選択…</translation>
    </message>
    <message>
        <source>Choose a product first</source>
        <translation>先に製品を選択してください</translation>
    </message>
    <message>
        <source>No lot in date</source>
        <translation>有効期限内のロットはありません</translation>
    </message>
    <message>
        <source>Choose a lot…</source>
        <translation>ロットを選択…</translation>
    </message>
    <message>
        <source>No lot of this product is recorded: a manager must add one.</source>
        <translation>この製品のロットは登録されていません。管理者が追加する必要があります。</translation>
    </message>
</context>
<context>
    <name>TreatmentWords</name>
    <message>
        <source>Front</source>
        <translation>正面</translation>
    </message>
    <message>
        <source>Left profile</source>
        <translation>左側面</translation>
    </message>
    <message>
        <source>Right profile</source>
        <translation>右側面</translation>
    </message>
    <message>
        <source>Intradermal</source>
        <translation>皮内</translation>
    </message>
    <message>
        <source>Subcutaneous</source>
        <translation>皮下</translation>
    </message>
    <message>
        <source>Supraperiosteal</source>
        <translation>骨膜上</translation>
    </message>
    <message>
        <source>Intramuscular</source>
        <translation>筋肉内</translation>
    </message>
    <message>
        <source>Bolus</source>
        <translation>ボーラス</translation>
    </message>
    <message>
        <source>Linear threading</source>
        <translation>リニアスレッディング</translation>
    </message>
    <message>
        <source>Fanning</source>
        <translation>ファニング</translation>
    </message>
    <message>
        <source>Cross-hatching</source>
        <translation>クロスハッチング</translation>
    </message>
    <message>
        <source>Microdroplet</source>
        <translation>マイクロドロップレット</translation>
    </message>
    <message>
        <source>Cannula</source>
        <translation>カニューレ</translation>
    </message>
    <message>
        <source>units</source>
        <translation>単位</translation>
    </message>
    <message>
        <source>mL</source>
        <translation>mL</translation>
    </message>
</context>
<context>
    <name>TreatmentsPage</name>
    <message>
        <source>1. Treatments</source>
        <translation>1. 施術</translation>
    </message>
    <message>
        <source>Plan each treatment with its route, product and lot. Only lots in date on the consultation day (%1) can be chosen.</source>
        <translation>施術ごとに投与経路、製品、ロットを計画してください。選べるのはカウンセリング日（%1）に有効期限内のロットだけです。</translation>
    </message>
    <message>
        <source>&amp;Add treatment</source>
        <translation>施術を追加(&amp;A)</translation>
    </message>
    <message>
        <source>Add treatment</source>
        <translation>施術を追加</translation>
    </message>
</context>
<context>
    <name>UnlockBox</name>
    <message>
        <source>%1: enter your password or PIN to take the consultation back.</source>
        <translation>%1: カウンセリングを引き継ぐには、パスワードまたは PIN を入力してください。</translation>
    </message>
    <message>
        <source>Practitioner&apos;s password or PIN</source>
        <translation>施術者のパスワードまたは PIN</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>ロック解除(&amp;U)</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>ロック解除</translation>
    </message>
    <message>
        <source>Enter your password or PIN.</source>
        <translation>パスワードまたは PIN を入力してください。</translation>
    </message>
</context>
<context>
    <name>UnlockPinDialog</name>
    <message>
        <source>PIN for patient mode</source>
        <translation>患者モードの PIN</translation>
    </message>
    <message>
        <source>A PIN of %1 to %2 digits takes patient mode back as your password does. Wrong PINs count with wrong passwords towards locking your account.</source>
        <translation>%1〜%2 桁の PIN で、パスワードと同じように患者モードから引き継げます。PIN の誤入力は、パスワードの誤入力と合わせて数えられ、回数が多いとアカウントがロックされます。</translation>
    </message>
    <message>
        <source>You have a PIN.</source>
        <translation>PIN は設定済みです。</translation>
    </message>
    <message>
        <source>You have no PIN yet.</source>
        <translation>PIN はまだ設定されていません。</translation>
    </message>
    <message>
        <source>C&amp;urrent password</source>
        <translation>現在のパスワード(&amp;U)</translation>
    </message>
    <message>
        <source>New &amp;PIN</source>
        <translation>新しい PIN(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Repeat new PIN</source>
        <translation>新しい PIN（確認）(&amp;R)</translation>
    </message>
    <message>
        <source>Re&amp;move PIN</source>
        <translation>PIN を削除(&amp;M)</translation>
    </message>
    <message>
        <source>The two PINs differ.</source>
        <translation>入力した2つの PIN が一致しません。</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>Edit user</source>
        <translation>ユーザーの編集</translation>
    </message>
    <message>
        <source>Add a user</source>
        <translation>ユーザーの追加</translation>
    </message>
    <message>
        <source>Full &amp;name</source>
        <translation>氏名(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Username</source>
        <translation>ユーザー名(&amp;U)</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>役割</translation>
    </message>
    <message>
        <source>None</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>&amp;Qualification</source>
        <translation>資格(&amp;Q)</translation>
    </message>
    <message>
        <source>First &amp;password (12+ characters)</source>
        <translation>初回パスワード（12文字以上）(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Repeat password</source>
        <translation>パスワード（確認）(&amp;R)</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>入力した2つのパスワードが一致しません。</translation>
    </message>
</context>
<context>
    <name>UserTableModel</name>
    <message>
        <source>Name</source>
        <translation>氏名</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>ユーザー名</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>役割</translation>
    </message>
    <message>
        <source>Qualification</source>
        <translation>資格</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>無効</translation>
    </message>
    <message>
        <source>Active: must change password</source>
        <translation>有効: パスワードの変更が必要</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>有効</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>Users</source>
        <translation>ユーザー</translation>
    </message>
    <message>
        <source>Add us&amp;er…</source>
        <translation>ユーザーを追加(&amp;E)…</translation>
    </message>
    <message>
        <source>Edit r&amp;oles…</source>
        <translation>役割を編集(&amp;O)…</translation>
    </message>
    <message>
        <source>Reset pass&amp;word…</source>
        <translation>パスワードをリセット(&amp;W)…</translation>
    </message>
    <message>
        <source>Deac&amp;tivate</source>
        <translation>無効にする(&amp;T)</translation>
    </message>
    <message>
        <source>User list status</source>
        <translation>ユーザー一覧の状態</translation>
    </message>
    <message>
        <source>Loc&amp;k the screen after</source>
        <translation>画面をロックするまでの時間(&amp;K)</translation>
    </message>
    <message>
        <source> minutes without input</source>
        <translation> 分（操作がない場合）</translation>
    </message>
    <message>
        <source>Idle lock minutes</source>
        <translation>自動ロックまでの分数</translation>
    </message>
    <message>
        <source>Paper for co&amp;nsent forms</source>
        <translation>同意書の用紙(&amp;N)</translation>
    </message>
    <message>
        <source>Time &amp;zone of forms</source>
        <translation>同意書のタイムゾーン(&amp;Z)</translation>
    </message>
    <message>
        <source>&amp;Save settings</source>
        <translation>設定を保存(&amp;S)</translation>
    </message>
    <message>
        <source>Out-of-hours telephone</source>
        <translation>時間外連絡先の電話番号</translation>
    </message>
    <message>
        <source>e.g. +44 20 7946 0000</source>
        <translation>例: +81 3-1234-5678</translation>
    </message>
    <message>
        <source>Saved: the screen locks after %1 minutes without input; consent forms signed from now on are printed on %2.</source>
        <translation>保存しました: 操作がない状態が %1 分続くと画面がロックされます。今後署名される同意書は %2 で印刷されます。</translation>
    </message>
    <message>
        <source>US Letter</source>
        <translation>US レター</translation>
    </message>
    <message>
        <source>A4</source>
        <translation>A4</translation>
    </message>
    <message>
        <source>Re&amp;activate</source>
        <translation>再び有効にする(&amp;A)</translation>
    </message>
    <message>
        <source>Out-of-hours &amp;contact (telephone) for aftercare sheets</source>
        <translation>アフターケアシートに記載する時間外連絡先（電話番号）(&amp;C)</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message>
        <source>%1 users, %2 active</source>
        <translation>ユーザー %1 人、うち有効 %2 人</translation>
    </message>
    <message>
        <source>The users could not be loaded: %1</source>
        <translation>ユーザーを読み込めませんでした: %1</translation>
    </message>
    <message>
        <source>Deactivate %1? They will not be able to sign in. Their records and signatures are kept.</source>
        <translation>%1 さんを無効にしますか？ ログインできなくなります。記録と署名はそのまま残ります。</translation>
    </message>
    <message>
        <source>There is no clinic yet.</source>
        <translation>クリニックがまだ設定されていません。</translation>
    </message>
</context>
<context>
    <name>VerifyFindings</name>
    <message>
        <source>The clinic&apos;s signing identity %1 cannot be read: %2</source>
        <translation>クリニックの署名用 ID %1 を読み取れません: %2</translation>
    </message>
    <message>
        <source>The retired certificates %1 cannot be read: %2</source>
        <translation>以前使用していた証明書 %1 を読み取れません: %2</translation>
    </message>
    <message>
        <source>document number %1</source>
        <translation>文書番号 %1</translation>
    </message>
    <message>
        <source>its document number %1</source>
        <translation>文書番号 %1</translation>
    </message>
    <message>
        <source>no document number</source>
        <translation>文書番号なし</translation>
    </message>
    <message>
        <source>patient %1</source>
        <translation>患者 %1</translation>
    </message>
    <message>
        <source>its patient %1</source>
        <translation>患者 %1</translation>
    </message>
    <message>
        <source>no patient</source>
        <translation>患者なし</translation>
    </message>
    <message>
        <source>treatment %1</source>
        <translation>施術 %1</translation>
    </message>
    <message>
        <source>its treatment %1</source>
        <translation>施術 %1</translation>
    </message>
    <message>
        <source>no treatment</source>
        <translation>施術なし</translation>
    </message>
    <message>
        <source>the record the form was signed with has been taken out of the file</source>
        <translation>署名時に同意書に埋め込まれていた記録が、ファイルから取り除かれています</translation>
    </message>
    <message>
        <source>none: the form carries no machine-readable record (forms sealed before records were embedded); the clinic&apos;s database keeps it</source>
        <translation>なし: この同意書には機械可読な記録が埋め込まれていません（記録を埋め込む前に確定した同意書です）。記録はクリニックのデータベースにあります</translation>
    </message>
    <message>
        <source>the file carries %1 records (%2), a sealed form one</source>
        <translation>ファイルに記録が %1 件（%2）埋め込まれています。確定した同意書の記録は 1 件です</translation>
    </message>
    <message>
        <source>%1 is not a JSON record RFC 8785 can canonicalize (%2)</source>
        <translation>%1 は RFC 8785 で正規化できる JSON の記録ではありません（%2）</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1（%2 バイト）</translation>
    </message>
    <message>
        <source>%1 has the RFC 8785 SHA-256 %2, not the %3 the signature records: it is not the record sealed</source>
        <translation>%1 の RFC 8785 による SHA-256 は %2 で、署名に記録された %3 ではありません：確定した記録ではありません</translation>
    </message>
    <message>
        <source>%1 has the RFC 8785 SHA-256 %2, which the pages do not print</source>
        <translation>%1 の RFC 8785 による SHA-256 は %2 で、ページに印刷されていません</translation>
    </message>
    <message>
        <source>%1: its SHA-256, recomputed by RFC 8785 with the rfc8785 package, is %2, the one the signature records and the pages print</source>
        <translation>%1: rfc8785 パッケージにより RFC 8785 で再計算した SHA-256 は %2 で、署名に記録され、ページに印刷されたものと一致します</translation>
    </message>
    <message>
        <source>%1: its SHA-256, recomputed by RFC 8785 with the rfc8785 package, is %2, the one the pages print</source>
        <translation>%1: rfc8785 パッケージにより RFC 8785 で再計算した SHA-256 は %2 で、ページに印刷されたものと一致します</translation>
    </message>
    <message>
        <source>the pages do not show what the embedded record says (%1)</source>
        <translation>ページの内容が埋め込まれた記録と一致しません（%1）</translation>
    </message>
    <message>
        <source>%1; %2</source>
        <translation>%1、%2</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1、%2</translation>
    </message>
    <message>
        <source>the pages show the record&apos;s %1</source>
        <translation>ページに記録の内容（%1）が記載されています</translation>
    </message>
    <message>
        <source>its signed PDF does not start with its sealed PDF</source>
        <translation>署名済み PDF が、確定時の PDF で始まっていません</translation>
    </message>
    <message>
        <source>its signed PDF is signed with certificate %1, not with the clinic&apos;s certificate logged at signing (%2)</source>
        <translation>署名済み PDF は証明書 %1 で署名されており、署名時に記録されたクリニックの証明書（%2）ではありません</translation>
    </message>
    <message>
        <source>its signed PDF fails the %1 check: %2</source>
        <translation>署名済み PDF が %1 の検証で不合格です: %2</translation>
    </message>
    <message>
        <source>its signed PDF&apos;s signature names document %1</source>
        <translation>署名済み PDF の署名は文書 %1 を指しています</translation>
    </message>
    <message>
        <source>its signed PDF&apos;s embedded record cannot be read (%1)</source>
        <translation>署名済み PDF に埋め込まれた記録を読み取れません（%1）</translation>
    </message>
    <message>
        <source>its signed PDF carries %1 embedded records, not the record&apos;s one</source>
        <translation>署名済み PDF に埋め込まれた記録が %1 件あります（この記録の 1 件だけのはずです）</translation>
    </message>
    <message>
        <source>its signed PDF&apos;s embedded record is not a JSON record (%1)</source>
        <translation>署名済み PDF に埋め込まれた記録が JSON の記録ではありません（%1）</translation>
    </message>
    <message>
        <source>its signed PDF&apos;s embedded record has SHA-256 %1, not the record&apos;s %2</source>
        <translation>署名済み PDF に埋め込まれた記録の SHA-256 は %1 で、この記録の %2 ではありません</translation>
    </message>
    <message>
        <source>form filling</source>
        <translation>フォーム入力</translation>
    </message>
    <message>
        <source>annotations</source>
        <translation>注釈</translation>
    </message>
    <message>
        <source>other</source>
        <translation>その他の変更</translation>
    </message>
    <message>
        <source>not a readable PDF (%1)</source>
        <translation>読み取れる PDF ではありません（%1）</translation>
    </message>
    <message>
        <source>the file holds a signature that cannot be read: changed or damaged (%1)</source>
        <translation>ファイル内の署名を読み取れません。変更または破損しています（%1）</translation>
    </message>
    <message>
        <source>the file holds a signature that cannot be read: changed or damaged</source>
        <translation>ファイル内の署名を読み取れません。変更または破損しています</translation>
    </message>
    <message>
        <source>not signed: the file carries no digital signature (a form sealed before forms were signed is checked against the clinic&apos;s database instead)</source>
        <translation>未署名: このファイルには電子署名がありません（電子署名の導入前に確定した同意書は、代わりにクリニックのデータベースと照合して検証します）</translation>
    </message>
    <message>
        <source>the signature cannot be read (%1)</source>
        <translation>署名を読み取れません（%1）</translation>
    </message>
    <message>
        <source>its structure cannot be read (%1)</source>
        <translation>ファイルの構造を読み取れません（%1）</translation>
    </message>
    <message>
        <source>at a time it does not say</source>
        <translation>日時の記載なし</translation>
    </message>
    <message>
        <source>the file was changed after signing: the signed bytes no longer match the signature</source>
        <translation>署名後にファイルが変更されています。署名されたバイト列が署名と一致しません</translation>
    </message>
    <message>
        <source>the signature does not verify with its certificate&apos;s key</source>
        <translation>署名が証明書の鍵で検証できません</translation>
    </message>
    <message>
        <source>intact (%1), made %2</source>
        <translation>改変なし（%1）、署名日時 %2</translation>
    </message>
    <message>
        <source>%1 (certificate SHA-256 %2)</source>
        <translation>%1（証明書 SHA-256 %2）</translation>
    </message>
    <message>
        <source>%1: a certificate you trust</source>
        <translation>%1: 信頼済みの証明書です</translation>
    </message>
    <message>
        <source>not trusted</source>
        <translation>信頼されていません</translation>
    </message>
    <message>
        <source>%1: a certificate you trust, but not here: %2</source>
        <translation>%1: 信頼済みの証明書ですが、ここでは認められません: %2</translation>
    </message>
    <message>
        <source>valid signature, unknown signer: %1 is not the clinic&apos;s certificate (an auditor gives the clinic&apos;s public certificate with --trust FILE)</source>
        <translation>署名は有効ですが、署名者が不明です: %1 はクリニックの証明書ではありません（監査人は --trust FILE でクリニックの公開証明書を指定します）</translation>
    </message>
    <message>
        <source>the signature covers the whole file (%1 bytes)</source>
        <translation>署名はファイル全体（%1 バイト）を対象としています</translation>
    </message>
    <message>
        <source>the signature covers only part of its revision</source>
        <translation>署名はそのリビジョンの一部しか対象としていません</translation>
    </message>
    <message>
        <source>%1 incremental update after byte %2</source>
        <translation>%2 バイト目以降に %1 件の増分更新</translation>
    </message>
    <message>
        <source>%1 incremental updates after byte %2</source>
        <translation>%2 バイト目以降に %1 件の増分更新</translation>
    </message>
    <message>
        <source>the signature covers the file up to byte %1; %2 change nothing on the pages (document properties or validation data only)</source>
        <translation>署名は %1 バイト目までのファイルを対象としています。%2 はページの内容を変更していません（文書のプロパティまたは検証データのみ）</translation>
    </message>
    <message>
        <source>unknown changes</source>
        <translation>不明な変更</translation>
    </message>
    <message>
        <source>changed after signing: %1 (%2)</source>
        <translation>署名後に変更されています: %1（%2）</translation>
    </message>
    <message>
        <source>the signature records no Consult form (document number and hashes)</source>
        <translation>署名に Consult の同意書の情報（文書番号とハッシュ値）が記録されていません</translation>
    </message>
    <message>
        <source>the form was signed as it was made, not sealed</source>
        <translation>同意書は確定されずに、作成時のまま署名されています</translation>
    </message>
    <message>
        <source>the bytes before the signature (0 to %1) have SHA-256 %2, not the %3 the signature records</source>
        <translation>署名より前のバイト列（0〜%1）の SHA-256 は %2 で、署名に記録された %3 ではありません</translation>
    </message>
    <message>
        <source>bytes 0 to %1 are the form as sealed (SHA-256 %2, as the signature records)</source>
        <translation>0〜%1 バイトは確定時の同意書です（SHA-256 %2、署名の記録どおり）</translation>
    </message>
    <message>
        <source>the pages&apos; text cannot be read (%1)</source>
        <translation>ページの文字を読み取れません（%1）</translation>
    </message>
    <message>
        <source>the file&apos;s associated files cannot be read (%1)</source>
        <translation>ファイルの関連ファイルを読み取れません（%1）</translation>
    </message>
    <message>
        <source>the pages print SHA-256 %1; with no signed record to compare them with, only the clinic&apos;s database can tell</source>
        <translation>ページには SHA-256 %1 が印刷されています。照合できる署名済みの記録がないため、確認できるのはクリニックのデータベースだけです</translation>
    </message>
    <message>
        <source>no page prints a SHA-256</source>
        <translation>SHA-256 を印刷したページがありません</translation>
    </message>
    <message>
        <source>page %1 of %2 does not print %3 and SHA-256 %4, the record the signature names</source>
        <translation>%2 ページ中 %1 ページ目に、署名が示す記録の %3 と SHA-256 %4 が印刷されていません</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>all %1 pages print %2 and SHA-256 %3, the first digits of the sealed record&apos;s SHA-256 %4</source>
        <translation>全 %1 ページに %2 と SHA-256 %3（確定した記録の SHA-256 %4 の先頭の桁）が印刷されています</translation>
    </message>
    <message>
        <source>none (PAdES B-B): the signing time is the signing workstation&apos;s clock</source>
        <translation>なし（PAdES B-B）: 署名日時は署名した端末の時計によるものです</translation>
    </message>
    <message>
        <source>the timestamp does not match the signature</source>
        <translation>タイムスタンプが署名と一致しません</translation>
    </message>
    <message>
        <source>a service you trust</source>
        <translation>信頼済みのサービス</translation>
    </message>
    <message>
        <source>a service not among those you trust</source>
        <translation>信頼済みではないサービス</translation>
    </message>
    <message>
        <source>%1 by %2, %3 (PAdES B-T)</source>
        <translation>%1、%2 による（%3、PAdES B-T）</translation>
    </message>
    <message>
        <source>entry %1, hash %2</source>
        <translation>エントリー %1、ハッシュ %2</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <source>Audit chain: %1 entries; head: %2; key %3</source>
        <translation>監査ログのチェーン: %1 件、先頭: %2、鍵 %3</translation>
    </message>
    <message>
        <source>Sealed consent records: %1</source>
        <translation>確定した同意記録: %1 件</translation>
    </message>
    <message>
        <source>Sealed treatment charts: %1; photos: %2</source>
        <translation>確定した施術記録: %1 件、写真: %2 枚</translation>
    </message>
    <message>
        <source>Sealed re-confirmations: %1</source>
        <translation>確定した再確認: %1 件</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>警告: %1</translation>
    </message>
    <message>
        <source>Everything holds: no entry or record has been changed.</source>
        <translation>問題はありません。エントリーや記録は改変されていません。</translation>
    </message>
    <message>
        <source>%1 problem(s):</source>
        <translation>問題が %1 件あります:</translation>
    </message>
    <message>
        <source>  - %1</source>
        <translation>  - %1</translation>
    </message>
    <message>
        <source>the anchor file %1 cannot be read: %2</source>
        <translation>アンカーファイル %1 を読み取れません: %2</translation>
    </message>
    <message>
        <source>checkpoint file %1 line %2 is not genuine</source>
        <translation>チェックポイントファイル %1 の %2 行目は正規のものではありません</translation>
    </message>
    <message>
        <source>checkpointed %1 by %2</source>
        <translation>%1、%2 で記録</translation>
    </message>
    <message>
        <source>this workstation</source>
        <translation>この端末</translation>
    </message>
    <message>
        <source>audit entry %1 (%2) is missing: the log has been cut back (it now ends at entry %3; %4 head(s) seen are gone)</source>
        <translation>監査エントリー %1（%2）がありません。ログが切り詰められています（現在はエントリー %3 で終わっており、確認済みの先頭 %4 件が失われています）</translation>
    </message>
    <message>
        <source>audit entry %1 (%2) has another hash than the one seen: the log&apos;s tail has been rewritten</source>
        <translation>監査エントリー %1（%2）のハッシュ値が確認済みのものと異なります。ログの末尾が書き換えられています</translation>
    </message>
    <message>
        <source>the anchor directory %1 cannot be read from here: the heads kept there were not compared</source>
        <translation>アンカーフォルダー %1 をここから読み取れません。そこに保存された先頭とは照合していません</translation>
    </message>
    <message>
        <source>the checkpoint file %1 is missing (this workstation has kept the heads it saw there since %2, audit entry %3)</source>
        <translation>チェックポイントファイル %1 がありません（この端末は %2（監査エントリー %3）以降、そこで確認した先頭を保存しています）</translation>
    </message>
    <message>
        <source>the anchor directory %1 has no heads from %2, which has written them there since %3 (audit entry %4)</source>
        <translation>アンカーフォルダー %1 に、%3（監査エントリー %4）以降そこへ書き込んできた %2 の先頭がありません</translation>
    </message>
    <message>
        <source>SQLite&apos;s quick_check cannot run: %1</source>
        <translation>SQLite の quick_check を実行できません: %1</translation>
    </message>
    <message>
        <source>SQLite&apos;s quick_check fails (%1 finding(s)): %2</source>
        <translation>SQLite の quick_check で問題が見つかりました（%1 件）: %2</translation>
    </message>
    <message>
        <source>Connect the workstations as a login that owns nothing; the owner role only runs `consult db upgrade --grant-to LOGIN` (README: PostgreSQL set-up).</source>
        <translation>各端末は、何も所有しないログインロールで接続してください。所有者ロールは `consult db upgrade --grant-to LOGIN` の実行にだけ使います（README: PostgreSQL set-up）。</translation>
    </message>
    <message>
        <source>this login (%1) is a superuser: it can change anything. %2</source>
        <translation>このログインロール（%1）はスーパーユーザーで、何でも変更できます。%2</translation>
    </message>
    <message>
        <source>this login (%1) owns the tables (owner %2): it could switch off the audit log&apos;s trigger, replace its function or rebuild the table. %3</source>
        <translation>このログインロール（%1）はテーブルを所有しています（所有者 %2）。監査ログのトリガーを無効にしたり、関数を置き換えたり、テーブルを作り直したりできます。%3</translation>
    </message>
    <message>
        <source>this login (%1) may %2 on the audit log (it should only SELECT and INSERT).</source>
        <translation>このログインロール（%1）は監査ログに対して %2 ができます（SELECT と INSERT だけにすべきです）。</translation>
    </message>
    <message>
        <source>the audit log&apos;s append-only trigger (audit_entry_append_only) has been dropped</source>
        <translation>監査ログの追記専用トリガー（audit_entry_append_only）が削除されています</translation>
    </message>
    <message>
        <source>the audit log&apos;s append-only trigger has been switched off</source>
        <translation>監査ログの追記専用トリガーが無効にされています</translation>
    </message>
    <message>
        <source>%1: %2 &apos;%3&apos; event(s) that the audit log does not record (added outside Consult)</source>
        <translation>%1: 監査ログに記録のない「%3」イベントが %2 件あります（Consult の外で追加）</translation>
    </message>
    <message>
        <source>%1: the audit log records it %2 (%3 event(s)), but the event is gone from the record (deleted)</source>
        <translation>%1: 監査ログには「%2」（%3 件）と記録されていますが、そのイベントが記録から消えています（削除）</translation>
    </message>
    <message>
        <source>%1: shown as %2, but its audited events say %3</source>
        <translation>%1: 「%2」と表示されていますが、監査されたイベントでは「%3」です</translation>
    </message>
    <message>
        <source>%1: the register&apos;s %2 (%3) differs from the sealed form (%4)</source>
        <translation>%1: 台帳の%2（%3）が確定した同意書（%4）と異なります</translation>
    </message>
    <message>
        <source>%1: the sealed document is for another patient</source>
        <translation>%1: 確定した文書は別の患者のものです</translation>
    </message>
    <message>
        <source>document number</source>
        <translation>文書番号</translation>
    </message>
    <message>
        <source>consultation</source>
        <translation>カウンセリング</translation>
    </message>
    <message>
        <source>treatment</source>
        <translation>施術</translation>
    </message>
    <message>
        <source>template version</source>
        <translation>テンプレートの版</translation>
    </message>
    <message>
        <source>date signed</source>
        <translation>署名日時</translation>
    </message>
    <message>
        <source>outcome</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>overrides flag</source>
        <translation>続行判断の有無</translation>
    </message>
    <message>
        <source>%1: the register&apos;s practitioner (user %2) is not the one who signed it (user %3, %4)</source>
        <translation>%1: 台帳の施術者（ユーザー %2）は署名した施術者（ユーザー %3、%4）ではありません</translation>
    </message>
    <message>
        <source>%1: it has %2 treatment records (one is written at signing)</source>
        <translation>%1: 施術記録が %2 件あります（署名時に 1 件作成されます）</translation>
    </message>
    <message>
        <source>%1: its treatment record</source>
        <translation>%1 の施術記録</translation>
    </message>
    <message>
        <source>%1 gives %2 %3, the consent record %4</source>
        <translation>%1 では%2が %3 ですが、同意の記録では %4 です</translation>
    </message>
    <message>
        <source>%1 gives %2 %3, the sealed form %4</source>
        <translation>%1 では%2が %3 ですが、確定した同意書では %4 です</translation>
    </message>
    <message>
        <source>patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>practitioner</source>
        <translation>施術者</translation>
    </message>
    <message>
        <source>route</source>
        <translation>投与経路</translation>
    </message>
    <message>
        <source>%1 names a product, the sealed form none</source>
        <translation>%1 には製品がありますが、確定した同意書にはありません</translation>
    </message>
    <message>
        <source>%1 has lost its product or lot</source>
        <translation>%1 の製品またはロットが失われています</translation>
    </message>
    <message>
        <source>%1 gives lot %2 (expiry %3), the sealed form lot %4 (expiry %5)</source>
        <translation>%1 ではロット %2（有効期限 %3）ですが、確定した同意書ではロット %4（有効期限 %5）です</translation>
    </message>
    <message>
        <source>%1 gives product %2, but its lot is another product&apos;s</source>
        <translation>%1 では製品 %2 ですが、そのロットは別の製品のものです</translation>
    </message>
    <message>
        <source>%1 gives product %2, the sealed form %3</source>
        <translation>%1 では製品 %2 ですが、確定した同意書では %3 です</translation>
    </message>
    <message>
        <source>%1 gives source %2, the sealed form %3</source>
        <translation>%1 では由来 %2 ですが、確定した同意書では %3 です</translation>
    </message>
    <message>
        <source>consent %1 (record %2)</source>
        <translation>同意書 %1（記録 %2）</translation>
    </message>
    <message>
        <source>%1: its sealed JSON does not match its hash</source>
        <translation>%1: 確定した JSON がハッシュ値と一致しません</translation>
    </message>
    <message>
        <source>%1: its stored PDF does not match its hash</source>
        <translation>%1: 保存された PDF がハッシュ値と一致しません</translation>
    </message>
    <message>
        <source>%1: no signing entry in the audit log</source>
        <translation>%1: 監査ログに署名のエントリーがありません</translation>
    </message>
    <message>
        <source>%1: JSON hash differs from the one logged at signing</source>
        <translation>%1: JSON のハッシュ値が署名時に記録されたものと異なります</translation>
    </message>
    <message>
        <source>%1: PDF differs from the one logged at signing</source>
        <translation>%1: PDF が署名時に記録されたものと異なります</translation>
    </message>
    <message>
        <source>%1: document number differs from the signing log</source>
        <translation>%1: 文書番号が署名時の記録と異なります</translation>
    </message>
    <message>
        <source>%1: signed for another patient according to the audit log</source>
        <translation>%1: 監査ログによると、別の患者について署名されています</translation>
    </message>
    <message>
        <source>%1: its signed PDF, logged at signing, is no longer stored; its sealed PDF still holds, but only the database vouches for it now</source>
        <translation>%1: 署名時に記録された署名済み PDF が保存されていません。確定時の PDF に問題はありませんが、その正しさを裏付けるのは今ではデータベースだけです</translation>
    </message>
    <message>
        <source>%1: its signed PDF differs from the one logged at signing</source>
        <translation>%1: 署名済み PDF が署名時に記録されたものと異なります</translation>
    </message>
    <message>
        <source>%1: it has a signed PDF, but none was logged at signing</source>
        <translation>%1: 署名済み PDF がありますが、署名時には記録されていません</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>lot %1 reads %2 (expiry %3), but it was added as %4 (expiry %5)</source>
        <translation>ロット %1 は %2（有効期限 %3）となっていますが、登録時は %4（有効期限 %5）でした</translation>
    </message>
    <message>
        <source>%1: signed (audit entry %2), but the record is gone (deleted)</source>
        <translation>%1: 署名されています（監査エントリー %2）が、記録が消えています（削除）</translation>
    </message>
    <message>
        <source>consent record %1: the audit log records events for it, but neither the record nor its signing entry is there</source>
        <translation>同意の記録 %1: 監査ログにはイベントが記録されていますが、記録も署名のエントリーもありません</translation>
    </message>
    <message>
        <source>user %1 (id %2)</source>
        <translation>ユーザー %1（ID %2）</translation>
    </message>
    <message>
        <source>%1: was not created through Consult (no audited creation)</source>
        <translation>%1: Consult を通して作成されていません（作成の監査記録がありません）</translation>
    </message>
    <message>
        <source>%1: has the roles %2, but the last audited change (entry %3) gives %4</source>
        <translation>%1: 役割は %2 ですが、最後に監査された変更（エントリー %3）では %4 です</translation>
    </message>
    <message>
        <source>%1: is %2, but the last audited change (entry %3) says %4</source>
        <translation>%1: 「%2」ですが、最後に監査された変更（エントリー %3）では「%4」です</translation>
    </message>
    <message>
        <source>%1: has the qualification %2, but the last audited change gives %3</source>
        <translation>%1: 資格は %2 ですが、最後に監査された変更では %3 です</translation>
    </message>
    <message>
        <source>%1: is named %2, but the last audited change gives %3</source>
        <translation>%1: 氏名は %2 ですが、最後に監査された変更では %3 です</translation>
    </message>
    <message>
        <source>%1: the stored password is not the one last set through Consult (it was written into the database directly)</source>
        <translation>%1: 保存されたパスワードが、最後に Consult で設定されたものではありません（データベースに直接書き込まれています）</translation>
    </message>
    <message>
        <source>%1: was created as %2 (the username was changed)</source>
        <translation>%1: %2 として作成されています（ユーザー名が変更されています）</translation>
    </message>
    <message>
        <source>active</source>
        <translation>有効</translation>
    </message>
    <message>
        <source>deactivated</source>
        <translation>無効</translation>
    </message>
    <message>
        <source>the database</source>
        <translation>データベース</translation>
    </message>
    <message>
        <source>the audit chain</source>
        <translation>監査ログのチェーン</translation>
    </message>
    <message>
        <source>the audit chain was started with another key (%1); this workstation has %2</source>
        <translation>監査ログのチェーンは別の鍵（%1）で開始されています。この端末の鍵は %2 です</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>the heads seen</source>
        <translation>確認済みの先頭</translation>
    </message>
    <message>
        <source>the consent records</source>
        <translation>同意の記録</translation>
    </message>
    <message>
        <source>the re-confirmations</source>
        <translation>同意の再確認</translation>
    </message>
    <message>
        <source>the treatment records</source>
        <translation>施術記録</translation>
    </message>
    <message>
        <source>the users</source>
        <translation>ユーザー</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>%1を読み取れません: %2</translation>
    </message>
    <message>
        <source>audit entry %1: %2</source>
        <translation>監査エントリー %1: %2</translation>
    </message>
    <message>
        <source>entry 1 missing</source>
        <translation>エントリー 1 がありません</translation>
    </message>
    <message>
        <source>its first entry is missing</source>
        <translation>最初のエントリーがありません</translation>
    </message>
    <message>
        <source>the start of the chain is missing (%1 / chain starts at %2)</source>
        <translation>チェーンの始まりがありません（%1 / チェーンはエントリー %2 から始まっています）</translation>
    </message>
    <message>
        <source>does not follow the entry before it (removed, inserted or reordered entries)</source>
        <translation>直前のエントリーに続いていません（エントリーの削除、挿入、または並べ替え）</translation>
    </message>
    <message>
        <source>its content does not match its hash (edited or forged)</source>
        <translation>内容がハッシュ値と一致しません（編集または偽造）</translation>
    </message>
    <message>
        <source>re-confirmation %1 (record %2)</source>
        <translation>再確認 %1（記録 %2）</translation>
    </message>
    <message>
        <source>%1: no re-confirmation entry in the audit log</source>
        <translation>%1: 監査ログに再確認のエントリーがありません</translation>
    </message>
    <message>
        <source>%1: its %2 differs from the one logged when it was sealed</source>
        <translation>%1: %2が確定時に記録されたものと異なります</translation>
    </message>
    <message>
        <source>JSON hash</source>
        <translation>JSON のハッシュ値</translation>
    </message>
    <message>
        <source>PDF hash</source>
        <translation>PDF のハッシュ値</translation>
    </message>
    <message>
        <source>session</source>
        <translation>回数</translation>
    </message>
    <message>
        <source>%1: sealed for another patient according to the audit log</source>
        <translation>%1: 監査ログによると、別の患者について確定されています</translation>
    </message>
    <message>
        <source>%1: the register&apos;s practitioner (user %2) is not the one who sealed it (user %3)</source>
        <translation>%1: 台帳の施術者（ユーザー %2）は確定した施術者（ユーザー %3）ではありません</translation>
    </message>
    <message>
        <source>%1: the register&apos;s %2 (%3) differs from the sealed record (%4)</source>
        <translation>%1: 台帳の%2（%3）が確定した記録（%4）と異なります</translation>
    </message>
    <message>
        <source>%1: the sealed record is for another patient</source>
        <translation>%1: 確定した記録は別の患者のものです</translation>
    </message>
    <message>
        <source>%1: the consent it re-confirms (record %2) is gone</source>
        <translation>%1: 再確認の対象の同意（記録 %2）が消えています</translation>
    </message>
    <message>
        <source>%1: it names consent %2, but its consent record is %3</source>
        <translation>%1: 同意書 %2 を指していますが、同意の記録は %3 です</translation>
    </message>
    <message>
        <source>%1: it names the consent&apos;s SHA-256 %2, but the stored consent %3 has %4</source>
        <translation>%1: 同意書の SHA-256 として %2 を指していますが、保存された同意書 %3 の SHA-256 は %4 です</translation>
    </message>
    <message>
        <source>%1: the consent logged when it was sealed is not the stored consent %2</source>
        <translation>%1: 確定時に記録された同意書は、保存された同意書 %2 ではありません</translation>
    </message>
    <message>
        <source>%1: it re-confirms consent %2, which is another patient&apos;s or another treatment&apos;s</source>
        <translation>%1: 再確認している同意書 %2 は、別の患者または別の施術のものです</translation>
    </message>
    <message>
        <source>%1: it has %2 treatment records (one is written with it)</source>
        <translation>%1: 施術記録が %2 件あります（再確認とともに 1 件作成されます）</translation>
    </message>
    <message>
        <source>%1: its treatment record gives %2 %3, the re-confirmation %4</source>
        <translation>%1: 施術記録では%2が %3 ですが、再確認では %4 です</translation>
    </message>
    <message>
        <source>%1: its treatment record gives lot %2, the sealed record lot %3 (expiry %4)</source>
        <translation>%1: 施術記録ではロット %2 ですが、確定した記録ではロット %3（有効期限 %4）です</translation>
    </message>
    <message>
        <source>%1: its signed PDF, logged when it was sealed, is no longer stored; its sealed PDF still holds, but only the database vouches for it now</source>
        <translation>%1: 確定時に記録された署名済み PDF が保存されていません。確定時の PDF に問題はありませんが、その正しさを裏付けるのは今ではデータベースだけです</translation>
    </message>
    <message>
        <source>%1: its signed PDF differs from the one logged when it was sealed</source>
        <translation>%1: 署名済み PDF が確定時に記録されたものと異なります</translation>
    </message>
    <message>
        <source>%1: it has a signed PDF, but none was logged when it was sealed</source>
        <translation>%1: 署名済み PDF がありますが、確定時には記録されていません</translation>
    </message>
    <message>
        <source>%1: sealed (audit entry %2), but the record is gone (deleted)</source>
        <translation>%1: 確定されています（監査エントリー %2）が、記録が消えています（削除）</translation>
    </message>
    <message>
        <source>treatment chart %1</source>
        <translation>施術チャート %1</translation>
    </message>
    <message>
        <source>photo %1</source>
        <translation>写真 %1</translation>
    </message>
    <message>
        <source>%1: its %2 reads %3, the seal %4</source>
        <translation>%1: %2は %3 ですが、確定時は %4 です</translation>
    </message>
    <message>
        <source>consent</source>
        <translation>同意書</translation>
    </message>
    <message>
        <source>day of treatment</source>
        <translation>施術日</translation>
    </message>
    <message>
        <source>product and lot</source>
        <translation>製品とロット</translation>
    </message>
    <message>
        <source>reason for the lot</source>
        <translation>別ロット使用の理由</translation>
    </message>
    <message>
        <source>areas</source>
        <translation>施術部位</translation>
    </message>
    <message>
        <source>notes</source>
        <translation>メモ</translation>
    </message>
    <message>
        <source>signer</source>
        <translation>確定者</translation>
    </message>
    <message>
        <source>%1: its time of sign-off differs from the seal&apos;s</source>
        <translation>%1: 確定日時が確定時の記録と異なります</translation>
    </message>
    <message>
        <source>%1: it has %2 injection points, the seal %3</source>
        <translation>%1: 注入点が %2 件ありますが、確定時は %3 件です</translation>
    </message>
    <message>
        <source>%1: injection point %2&apos;s %3 reads %4, the seal %5</source>
        <translation>%1: 注入点 %2 の %3 は %4 ですが、確定時は %5 です</translation>
    </message>
    <message>
        <source>%1: its sealed JSON is not JSON</source>
        <translation>%1: 確定した JSON を JSON として読み取れません</translation>
    </message>
    <message>
        <source>%1: its sealed JSON is not a chart</source>
        <translation>%1: 確定した JSON が施術チャートではありません</translation>
    </message>
    <message>
        <source>%1: no sign-off entry in the audit log</source>
        <translation>%1: 監査ログに確定のエントリーがありません</translation>
    </message>
    <message>
        <source>%1: its hash differs from the one logged at sign-off</source>
        <translation>%1: ハッシュ値が確定時に記録されたものと異なります</translation>
    </message>
    <message>
        <source>%1: an addendum logged (%2…) is gone (deleted)</source>
        <translation>%1: 監査ログに記録された追記（%2…）が消えています（削除）</translation>
    </message>
    <message>
        <source>%1: an addendum (%2…) was not written through Consult</source>
        <translation>%1: 追記（%2…）が Consult を通して書き込まれていません</translation>
    </message>
    <message>
        <source>%1: signed off (audit log), but it reads %2</source>
        <translation>%1: 確定済み（監査ログ）ですが、状態は %2 です</translation>
    </message>
    <message>
        <source>%1: a draft with addenda</source>
        <translation>%1: 追記のある下書き</translation>
    </message>
    <message>
        <source>%1: signed off (audit log), but the chart is gone (deleted)</source>
        <translation>%1: 確定済み（監査ログ）ですが、施術チャートが消えています（削除）</translation>
    </message>
    <message>
        <source>%1: not added through Consult (no audit entry)</source>
        <translation>%1: Consult を通して追加されていません（監査エントリーなし）</translation>
    </message>
    <message>
        <source>%1: its SHA-256 differs from the one logged</source>
        <translation>%1: SHA-256 が記録されたものと異なります</translation>
    </message>
    <message>
        <source>%1: its bytes are gone, but it was not deleted</source>
        <translation>%1: データが消えていますが、削除の記録はありません</translation>
    </message>
    <message>
        <source>%1: its bytes do not match its SHA-256</source>
        <translation>%1: データが SHA-256 と一致しません</translation>
    </message>
    <message>
        <source>%1: added (audit log), but its row is gone</source>
        <translation>%1: 追加済み（監査ログ）ですが、その行が消えています</translation>
    </message>
</context>
<context>
    <name>VerifyFormDialog</name>
    <message>
        <source>Verify a form</source>
        <translation>同意書の検証</translation>
    </message>
    <message>
        <source>Verify a signed form</source>
        <translation>署名済みの同意書を検証</translation>
    </message>
    <message>
        <source>Checks a signed consent form on its own, without the database: the clinic&apos;s signature, that nothing changed since, and that the record inside the form is the one its pages print. Drop the PDF here, or choose it.</source>
        <translation>署名済みの同意書を、データベースを使わずにそれだけで検証します。クリニックの署名、署名後に変更がないこと、同意書に埋め込まれた記録がページに印刷された記録と同じであることを確認します。PDF をここにドロップするか、選択してください。</translation>
    </message>
    <message>
        <source>&amp;Choose a PDF…</source>
        <translation>PDF を選択(&amp;C)…</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>判定</translation>
    </message>
    <message>
        <source>What each check found</source>
        <translation>各項目の検証結果</translation>
    </message>
    <message>
        <source>Choose a signed form</source>
        <translation>署名済みの同意書を選択</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF ファイル (*.pdf)</translation>
    </message>
    <message>
        <source>Checking %1…</source>
        <translation>%1 を検証中…</translation>
    </message>
    <message>
        <source>no consent form named</source>
        <translation>同意書番号なし</translation>
    </message>
    <message>
        <source>Verified: the clinic signed this form, and it is unchanged since.</source>
        <translation>検証済み: この同意書はクリニックが署名したもので、署名後に変更されていません。</translation>
    </message>
    <message>
        <source>nothing could be proved</source>
        <translation>何も証明できませんでした</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1、%2</translation>
    </message>
    <message>
        <source>Not verified: %1.</source>
        <translation>未検証: %1。</translation>
    </message>
    <message>
        <source>Signed by: %1</source>
        <translation>署名者: %1</translation>
    </message>
    <message>
        <source>No signature could be read.</source>
        <translation>署名を読み取れませんでした。</translation>
    </message>
    <message>
        <source>%1 cannot be checked: %2</source>
        <translation>%1 を検証できません: %2</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>注記</translation>
    </message>
    <message>
        <source>The file</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <source>The clinic&apos;s digital signature</source>
        <translation>クリニックの電子署名</translation>
    </message>
    <message>
        <source>Who signed</source>
        <translation>署名者</translation>
    </message>
    <message>
        <source>Changes since signing</source>
        <translation>署名後の変更</translation>
    </message>
    <message>
        <source>The form as sealed</source>
        <translation>確定時の同意書</translation>
    </message>
    <message>
        <source>The fingerprint printed on every page</source>
        <translation>各ページに印刷されたハッシュ値</translation>
    </message>
    <message>
        <source>The record inside the form</source>
        <translation>同意書に埋め込まれた記録</translation>
    </message>
    <message>
        <source>The pages show that record</source>
        <translation>ページの記載と記録の一致</translation>
    </message>
    <message>
        <source>Time of signing</source>
        <translation>署名日時</translation>
    </message>
</context>
<context>
    <name>WhyFullConsent</name>
    <message>
        <source>no longer found: %1</source>
        <translation>見つかりません: %1</translation>
    </message>
    <message>
        <source>the consent has expired</source>
        <translation>同意の有効期限が切れています</translation>
    </message>
    <message>
        <source>the consent was withdrawn</source>
        <translation>同意が撤回されています</translation>
    </message>
    <message>
        <source>the consent was voided</source>
        <translation>同意が無効化されています</translation>
    </message>
    <message>
        <source>this treatment is consented at every visit</source>
        <translation>この施術は来院ごとに同意が必要です</translation>
    </message>
    <message>
        <source>every session of the course has been given</source>
        <translation>コースのすべての回の施術が終わっています</translation>
    </message>
    <message>
        <source>changed answers the screening reads: %1</source>
        <translation>禁忌チェックが判定に使う回答が変わっています: %1</translation>
    </message>
    <message>
        <source>the patient has reached an age the screening tests (%1)</source>
        <translation>患者が禁忌チェックの判定する年齢（%1）に達しています</translation>
    </message>
    <message>
        <source>the screening finds something new: %1</source>
        <translation>禁忌チェックで新たな所見があります: %1</translation>
    </message>
    <message>
        <source>the consent text is a new version (%1 → %2)</source>
        <translation>同意書の本文が新しい版になっています（%1 → %2）</translation>
    </message>
    <message>
        <source>another product or route is planned</source>
        <translation>別の製品または投与経路が計画されています</translation>
    </message>
    <message>
        <source>no consent for this treatment yet</source>
        <translation>この施術の同意がまだありません</translation>
    </message>
    <message>
        <source>A full consent is needed: %1.</source>
        <translation>改めて同意が必要です: %1。</translation>
    </message>
</context>
<context>
    <name>Worded</name>
    <message>
        <source>Not translated: shown in English</source>
        <translation>未翻訳: 英語で表示しています</translation>
    </message>
    <message>
        <source>not translated</source>
        <translation>未翻訳</translation>
    </message>
</context>
<context>
    <name>Words</name>
    <message>
        <source>In progress</source>
        <translation>進行中</translation>
    </message>
    <message>
        <source>In progress (screened)</source>
        <translation>進行中（禁忌チェック済み）</translation>
    </message>
    <message>
        <source>Closed without consent</source>
        <translation>同意なしで終了</translation>
    </message>
    <message>
        <source>Consented</source>
        <translation>同意済み</translation>
    </message>
    <message>
        <source>Treatments</source>
        <translation>施術</translation>
    </message>
    <message>
        <source>Intake</source>
        <translation>問診</translation>
    </message>
    <message>
        <source>Screening</source>
        <translation>禁忌チェック</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>まとめ</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>署名済み</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>撤回済み</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>無効</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>問題なし</translation>
    </message>
    <message>
        <source>Caution</source>
        <translation>注意</translation>
    </message>
    <message>
        <source>Relative (overridden)</source>
        <translation>相対禁忌（続行）</translation>
    </message>
    <message>
        <source>Absolute</source>
        <translation>絶対禁忌</translation>
    </message>
    <message>
        <source>Relative</source>
        <translation>相対禁忌</translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation>撤回</translation>
    </message>
    <message>
        <source>voided</source>
        <translation>無効化</translation>
    </message>
    <message>
        <source>printed</source>
        <translation>印刷</translation>
    </message>
    <message>
        <source>handed over</source>
        <translation>お渡し</translation>
    </message>
    <message>
        <source>practitioner</source>
        <translation>施術者</translation>
    </message>
    <message>
        <source>reception</source>
        <translation>受付</translation>
    </message>
    <message>
        <source>manager</source>
        <translation>管理者</translation>
    </message>
    <message>
        <source>United Kingdom</source>
        <translation>イギリス</translation>
    </message>
    <message>
        <source>European Union</source>
        <translation>欧州連合</translation>
    </message>
    <message>
        <source>United States</source>
        <translation>アメリカ合衆国</translation>
    </message>
    <message>
        <source>Japan</source>
        <translation>日本</translation>
    </message>
    <message>
        <source>South Korea</source>
        <translation>韓国</translation>
    </message>
    <message>
        <source>China</source>
        <translation>中国</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>その他</translation>
    </message>
    <message>
        <source>Act on the Safety of Regenerative Medicine</source>
        <translation>再生医療等の安全性の確保等に関する法律</translation>
    </message>
    <message>
        <source>Advanced Regenerative Bio Act</source>
        <translation>先端再生医療及び先端バイオ医薬品の安全及び支援に関する法律</translation>
    </message>
    <message>
        <source>Write a clinical justification of at least %1 characters.</source>
        <translation>臨床的根拠を %1 文字以上で記入してください。</translation>
    </message>
    <message>
        <source>Write the clinical reason in words (at least three different words): what makes it safe to go on for this patient.</source>
        <translation>この患者で続行しても安全といえる臨床的理由を、言葉で（異なる語を3語以上使って）記入してください。</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Consult cannot start</source>
        <translation>Consult を起動できません</translation>
    </message>
    <message>
        <source>The screening rules could not be loaded, so no patient can be screened safely:

%1

Correct or remove the policy file named above, then start Consult again.</source>
        <translation>禁忌チェックのルールを読み込めなかったため、安全に禁忌チェックを行えません:

%1

上記のポリシーファイルを修正または削除してから、Consult をもう一度起動してください。</translation>
    </message>
    <message>
        <source>Consult met an error it did not expect. What you saved is safe; the step you were doing may not have finished. Please tell your clinic&apos;s support; the details are in the log file:
%1</source>
        <translation>Consult で予期しないエラーが発生しました。保存済みの内容は失われていませんが、実行中の操作は完了していない可能性があります。クリニックのサポート担当者に連絡してください。詳細はログファイルにあります:
%1</translation>
    </message>
    <message>
        <source>Checking today&apos;s backup…</source>
        <translation>本日のバックアップを確認しています…</translation>
    </message>
    <message>
        <source>Today&apos;s backup is already taken.</source>
        <translation>本日のバックアップは取得済みです。</translation>
    </message>
    <message>
        <source>Today&apos;s backup was taken and checked.</source>
        <translation>本日のバックアップを取得し、確認しました。</translation>
    </message>
    <message>
        <source>The daily backup failed: %1</source>
        <translation>毎日のバックアップに失敗しました: %1</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>問題が発生しました</translation>
    </message>
</context>
<context>
    <name>pdf_pages</name>
    <message>
        <source>The form could not be opened</source>
        <translation>同意書を開けませんでした</translation>
    </message>
    <message>
        <source>No program to show PDF files was found on this computer, so the form could not be opened.

Use “Print preview…” to see it, or ask for a PDF viewer to be installed.</source>
        <translation>このコンピューターには PDF を表示するプログラムがないため、同意書を開けませんでした。

「印刷プレビュー…」で確認するか、PDF ビューアのインストールを依頼してください。</translation>
    </message>
</context>
</TS>
