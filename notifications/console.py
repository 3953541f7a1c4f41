"""Development e-mail backend: each e-mail printed readably (decoded text, links on one line)."""

from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend


class EmailBackend(ConsoleEmailBackend):
    def write_message(self, message):
        alternatives = ", ".join(mimetype for _, mimetype in getattr(message, "alternatives", []))
        lines = [
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
            f"Subject: {message.subject}",
            f"Message-ID: {message.extra_headers.get('Message-ID', '(generated)')}",
        ]
        if alternatives:
            lines.append(f"Also attached: {alternatives}")
        for attachment in message.attachments:
            if isinstance(attachment, tuple):  # attach(name, content, mimetype); a MIME part is left unnamed
                filename, content, mimetype = attachment
                lines.append(f"File attached: {filename} ({mimetype}, {len(content)} bytes)")
        self.stream.write("\n".join(lines) + "\n\n" + message.body.rstrip() + "\n")
        self.stream.write("-" * 79 + "\n")
