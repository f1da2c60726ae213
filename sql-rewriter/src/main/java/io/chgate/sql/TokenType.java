package io.chgate.sql;

/** Kinds of ClickHouse tokens. Whitespace and comments are not tokens: they are the text between them. */
public enum TokenType {
    /** A bare word: keyword, identifier, function name, {@code inf}, {@code nan}. */
    WORD,
    /** {@code `name`} or {@code "name"}. */
    QUOTED_IDENTIFIER,
    /** {@code 'text'}. */
    STRING,
    /** {@code $tag$text$tag$}. */
    HEREDOC,
    NUMBER,
    LPAREN, RPAREN, LBRACKET, RBRACKET, LBRACE, RBRACE,
    COMMA, SEMICOLON, DOT, EQUALS,
    /** Every other operator: {@code -> :: || <=> != <> <= >= + - * / % ?} and the rest. */
    OPERATOR
}
