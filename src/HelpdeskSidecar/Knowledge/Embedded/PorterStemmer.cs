namespace HelpdeskSidecar.Knowledge.Embedded;

/// <summary>
/// The Porter (1980) stemmer, as SQLite's FTS5 <c>porter</c> tokenizer applies it, so that the in-memory BM25 index
/// folds words the way the FTS5 table does ("connections", "connected" → "connect"). Input is one lower-case token.
/// </summary>
internal static class PorterStemmer
{
    public static string Stem(string word)
    {
        if (word.Length <= 2)
            return word;
        foreach (var ch in word)
        {
            // Digits and non-ASCII letters are left alone, as FTS5's porter step does for tokens it cannot read.
            if (ch is < 'a' or > 'z')
                return word;
        }
        var b = new Buffer(word);
        b.Step1Ab();
        b.Step1C();
        b.Step2();
        b.Step3();
        b.Step4();
        b.Step5();
        return b.ToString();
    }

    private sealed class Buffer(string word)
    {
        private readonly char[] _b = word.ToCharArray();
        private int _k = word.Length - 1; // last index of the current word
        private int _j; // end of the stem when a suffix matched

        public override string ToString() => new(_b, 0, _k + 1);

        private bool Cons(int i) => _b[i] switch
        {
            'a' or 'e' or 'i' or 'o' or 'u' => false,
            'y' => i == 0 || !Cons(i - 1),
            _ => true,
        };

        /// <summary>The number of vowel-consonant sequences in b[0.._j].</summary>
        private int M()
        {
            var n = 0;
            var i = 0;
            while (true)
            {
                if (i > _j)
                    return n;
                if (!Cons(i))
                    break;
                i++;
            }
            i++;
            while (true)
            {
                while (true)
                {
                    if (i > _j)
                        return n;
                    if (Cons(i))
                        break;
                    i++;
                }
                i++;
                n++;
                while (true)
                {
                    if (i > _j)
                        return n;
                    if (!Cons(i))
                        break;
                    i++;
                }
                i++;
            }
        }

        private bool VowelInStem()
        {
            for (var i = 0; i <= _j; i++)
            {
                if (!Cons(i))
                    return true;
            }
            return false;
        }

        private bool DoubleC(int j) => j >= 1 && _b[j] == _b[j - 1] && Cons(j);

        /// <summary>consonant-vowel-consonant ending at i, the last not w, x or y.</summary>
        private bool Cvc(int i)
        {
            if (i < 2 || !Cons(i) || Cons(i - 1) || !Cons(i - 2))
                return false;
            return _b[i] is not ('w' or 'x' or 'y');
        }

        private bool Ends(string s)
        {
            var length = s.Length;
            if (length > _k + 1)
                return false;
            for (var i = 0; i < length; i++)
            {
                if (_b[_k - length + 1 + i] != s[i])
                    return false;
            }
            _j = _k - length;
            return true;
        }

        private void SetTo(string s)
        {
            for (var i = 0; i < s.Length; i++)
                _b[_j + 1 + i] = s[i];
            _k = _j + s.Length;
        }

        private void R(string s)
        {
            if (M() > 0)
                SetTo(s);
        }

        public void Step1Ab()
        {
            if (_b[_k] == 's')
            {
                if (Ends("sses"))
                    _k -= 2;
                else if (Ends("ies"))
                    SetTo("i");
                else if (_b[_k - 1] != 's')
                    _k--;
            }
            if (Ends("eed"))
            {
                if (M() > 0)
                    _k--;
            }
            else if ((Ends("ed") || Ends("ing")) && VowelInStem())
            {
                _k = _j;
                if (Ends("at"))
                    SetTo("ate");
                else if (Ends("bl"))
                    SetTo("ble");
                else if (Ends("iz"))
                    SetTo("ize");
                else if (DoubleC(_k))
                {
                    _k--;
                    if (_b[_k] is 'l' or 's' or 'z')
                        _k++;
                }
                else if (M() == 1 && Cvc(_k))
                {
                    _j = _k;
                    SetTo("e");
                }
            }
        }

        public void Step1C()
        {
            if (Ends("y") && VowelInStem())
                _b[_k] = 'i';
        }

        public void Step2()
        {
            if (_k < 1)
                return;
            switch (_b[_k - 1])
            {
                case 'a':
                    if (Ends("ational")) R("ate");
                    else if (Ends("tional")) R("tion");
                    break;
                case 'c':
                    if (Ends("enci")) R("ence");
                    else if (Ends("anci")) R("ance");
                    break;
                case 'e':
                    if (Ends("izer")) R("ize");
                    break;
                case 'l':
                    if (Ends("bli")) R("ble");
                    else if (Ends("alli")) R("al");
                    else if (Ends("entli")) R("ent");
                    else if (Ends("eli")) R("e");
                    else if (Ends("ousli")) R("ous");
                    break;
                case 'o':
                    if (Ends("ization")) R("ize");
                    else if (Ends("ation")) R("ate");
                    else if (Ends("ator")) R("ate");
                    break;
                case 's':
                    if (Ends("alism")) R("al");
                    else if (Ends("iveness")) R("ive");
                    else if (Ends("fulness")) R("ful");
                    else if (Ends("ousness")) R("ous");
                    break;
                case 't':
                    if (Ends("aliti")) R("al");
                    else if (Ends("iviti")) R("ive");
                    else if (Ends("biliti")) R("ble");
                    break;
                case 'g':
                    if (Ends("logi")) R("log");
                    break;
            }
        }

        public void Step3()
        {
            switch (_b[_k])
            {
                case 'e':
                    if (Ends("icate")) R("ic");
                    else if (Ends("ative")) R("");
                    else if (Ends("alize")) R("al");
                    break;
                case 'i':
                    if (Ends("iciti")) R("ic");
                    break;
                case 'l':
                    if (Ends("ical")) R("ic");
                    else if (Ends("ful")) R("");
                    break;
                case 's':
                    if (Ends("ness")) R("");
                    break;
            }
        }

        public void Step4()
        {
            if (_k < 1)
                return;
            var matched = _b[_k - 1] switch
            {
                'a' => Ends("al"),
                'c' => Ends("ance") || Ends("ence"),
                'e' => Ends("er"),
                'i' => Ends("ic"),
                'l' => Ends("able") || Ends("ible"),
                'n' => Ends("ant") || Ends("ement") || Ends("ment") || Ends("ent"),
                'o' => (Ends("ion") && _j >= 0 && _b[_j] is 's' or 't') || Ends("ou"),
                's' => Ends("ism"),
                't' => Ends("ate") || Ends("iti"),
                'u' => Ends("ous"),
                'v' => Ends("ive"),
                'z' => Ends("ize"),
                _ => false,
            };
            if (matched && M() > 1)
                _k = _j;
        }

        public void Step5()
        {
            _j = _k;
            if (_b[_k] == 'e')
            {
                var a = M();
                if (a > 1 || (a == 1 && !Cvc(_k - 1)))
                    _k--;
            }
            if (_b[_k] == 'l' && DoubleC(_k) && M() > 1)
                _k--;
        }
    }
}
