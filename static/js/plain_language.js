"use strict";
// The plain-language aid under the admin's text fields for residents (promises/plain_language.py
// renders it for the saved text and says why LIX is counted this way): updated as the editor
// types. The counting must stay the server's: the same word and sentence patterns, the same
// limits (read from the aid's data-* attributes, with its translated texts).
{
    const WORD = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;
    const SENTENCE_END = /[.!?:]+|\n+/u;
    const LONG_WORD_LETTERS = 6;

    function readability(text, longSentenceWords, hardWordLetters) {
        const sentences = text
            .split(SENTENCE_END)
            .map((part) => part.match(WORD) || [])
            .filter((words) => words.length);
        const words = sentences.flat();
        const lix = words.length
            ? Math.round(
                  words.length / sentences.length +
                      (100 * words.filter((word) => [...word].length > LONG_WORD_LETTERS).length) /
                          words.length,
              )
            : null;
        return {
            lix,
            longSentences: sentences.filter((sentence) => sentence.length > longSentenceWords).length,
            hardWords: [...new Set(words.filter((word) => [...word].length >= hardWordLetters))],
        };
    }

    function fill(template, values) {
        return template.replace(/%\((\w+)\)s/g, (match, name) => values[name]);
    }

    // The aid follows its text area. In a row added on the page, Django's inline script has
    // renumbered the aid's id but not the text area's references to it.
    function aidOf(textarea) {
        const aid = textarea.nextElementSibling;
        if (!aid || !aid.classList.contains("plain-language")) {
            return null;
        }
        if (textarea.dataset.plainLanguage !== aid.id) {
            const describedBy = (textarea.getAttribute("aria-describedby") || "")
                .split(/\s+/)
                .filter((id) => id && id !== textarea.dataset.plainLanguage);
            textarea.setAttribute("aria-describedby", [...describedBy, aid.id].join(" "));
            textarea.dataset.plainLanguage = aid.id;
        }
        return aid;
    }

    function update(textarea) {
        const aid = aidOf(textarea);
        if (!aid) {
            return;
        }
        const result = readability(
            textarea.value,
            Number(aid.dataset.longSentenceWords),
            Number(aid.dataset.hardWordLetters),
        );
        const bands = JSON.parse(aid.dataset.bands);
        const band = result.lix === null
            ? null
            : bands.find(([limit]) => limit === null || result.lix < limit)[1];
        aid.querySelector(".plain-language-lix").textContent = result.lix === null
            ? aid.dataset.empty
            : fill(aid.dataset.lix, { lix: result.lix, band });
        const sentences = aid.querySelector(".plain-language-long-sentences");
        sentences.hidden = !result.longSentences;
        sentences.textContent = fill(aid.dataset.longSentences, { number: result.longSentences });
        const words = aid.querySelector(".plain-language-hard-words");
        words.hidden = !result.hardWords.length;
        words.textContent = fill(aid.dataset.hardWords, { words: result.hardWords.join(", ") });
    }

    document.addEventListener("formset:added", (event) => {
        event.target.querySelectorAll("textarea[data-plain-language]").forEach(aidOf);
    });

    let timer = null;
    document.addEventListener("input", (event) => {
        const textarea = event.target;
        if (textarea instanceof HTMLTextAreaElement && textarea.dataset.plainLanguage) {
            clearTimeout(timer);
            timer = setTimeout(() => update(textarea), 300);
        }
    });
}
