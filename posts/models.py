# The microblog's models (Post, Reaction, Acknowledgement, Channel) live here.
