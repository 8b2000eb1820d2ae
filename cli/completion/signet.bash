# SPDX-License-Identifier: Apache-2.0
# cli/completion/signet.bash: bash completion for signet(1).  Installed as
# share/bash-completion/completions/signet (bash-completion loads it the
# first time `signet` is completed); or source it from ~/.bashrc.
# Needs bash alone, not the bash-completion package's helpers.
#
# The long options of each command are those its --help lists
# (tests/integration/completion.sh compares them): change both together.

_signet_common_opts='--tls-verify --cert-dir --creds --authfile --json --verbose --quiet --help'
_signet_trust_opts='--policy --contract --contract-key --strict --allow-digest-pinned
	--require-signed-contract --key --trusted-root --certificate-identity --certificate-oidc-issuer
	--registries.d --lookaside --platform --annotation'

# _signet_opts COMMAND [SUBCOMMAND]: the long options of COMMAND.
_signet_opts()
{
	case $1 in
	inspect) echo "--timeout $_signet_common_opts" ;;
	verify) echo "$_signet_trust_opts --timeout $_signet_common_opts" ;;
	audit) echo "--repos --jobs --shard --html --table $_signet_trust_opts --timeout $_signet_common_opts" ;;
	gate) echo "--output $_signet_trust_opts --timeout $_signet_common_opts" ;;
	standalone-verify) echo "--help" ;;
	policy) echo "$_signet_trust_opts --format --output --force $_signet_common_opts" ;;
	contract)
		case ${2-} in
		seal) echo "--encrypt-cert --ca --crl --sign-key --sign-cert --sections --output --help" ;;
		verify) echo "--contract-key --json --help" ;;
		*) echo "--rhs --cosign --output --help" ;;
		esac
		;;
	attestation) echo "--cert --ca --crl --key --contract --json --help" ;;
	sign) echo "--gpg-key --key --passphrase-file --sign-identity --annotation --store --format --recursive
		--registries.d --lookaside $_signet_common_opts" ;;
	standalone-sign) echo "--gpg-key --key --passphrase-file --output --help" ;;
	key) echo "--passphrase-file --no-passphrase --output --help" ;;
	esac
}

# _signet_value OPTION WORD: fills COMPREPLY with the values of OPTION that
# complete WORD; returns 1 if OPTION takes no value.
_signet_value()
{
	case $1 in
	--policy | --contract | --contract-key | --key | --authfile | --repos | --html | --output | -o | \
		--passphrase-file | --trusted-root | --cert | --ca | --crl | --encrypt-cert | --sign-key | --sign-cert)
		compopt -o filenames 2>/dev/null || true # only inside a completion
		mapfile -t COMPREPLY < <(compgen -f -- "$2")
		;;
	--cert-dir | --registries.d)
		compopt -o filenames 2>/dev/null || true # only inside a completion
		mapfile -t COMPREPLY < <(compgen -d -- "$2")
		;;
	--tls-verify) mapfile -t COMPREPLY < <(compgen -W 'true false' -- "$2") ;;
	--store) mapfile -t COMPREPLY < <(compgen -W 'auto attach lookaside' -- "$2") ;;
	--sections) mapfile -t COMPREPLY < <(compgen -W 'workload env workload,env' -- "$2") ;;
	--format)
		# sign: the signature's format; policy export: the policy's ($cmd is _signet's)
		if [[ ${cmd-} == sign ]]; then
			mapfile -t COMPREPLY < <(compgen -W 'sig bundle' -- "$2")
		else
			mapfile -t COMPREPLY < <(compgen -W 'containers' -- "$2")
		fi
		;;
	--platform)
		mapfile -t COMPREPLY < <(compgen -W 'linux/amd64 linux/arm64 linux/arm/v7 linux/s390x
			linux/ppc64le' -- "$2")
		;;
	--creds | --lookaside | --timeout | --jobs | -j | --shard | --annotation | -a | --gpg-key | \
		--sign-identity | --identity | --rhs | --cosign | --certificate-identity | --certificate-oidc-issuer)
		COMPREPLY=() # a value, but nothing to offer
		;;
	*) return 1 ;;
	esac
	return 0
}

# _signet_image WORD: an image reference: a transport, then the path of a
# dir: or oci: layout.
_signet_image()
{
	local path
	case $1 in
	dir:* | oci:*)
		path=${1#*:}
		compopt -o filenames 2>/dev/null || true # only inside a completion
		mapfile -t COMPREPLY < <(compgen -f -- "$path")
		COMPREPLY=("${COMPREPLY[@]/#/${1%%:*}:}")
		;;
	docker://*) COMPREPLY=() ;;
	*)
		mapfile -t COMPREPLY < <(compgen -W 'docker:// dir: oci:' -- "$1")
		_signet_nospace
		;;
	esac
}

# _signet_nospace: no space after a transport prefix ("dir:"), the rest of
# the reference follows it.
_signet_nospace()
{
	local r
	for r in "${COMPREPLY[@]}"; do
		[[ $r == *: || $r == */ ]] || return 0
	done
	compopt -o nospace 2>/dev/null || true # only inside a completion
	return 0
}

_signet()
{
	local line cur prev cmd sub i
	local -a words

	# The words as the shell will pass them to signet: split at blanks
	# only, so "dir:/x" and "--tls-verify=false" stay one word (bash's
	# COMP_WORDS splits them at ':' and '=').
	if [[ -n ${COMP_LINE+set} && -n ${COMP_POINT+set} ]]; then
		line=${COMP_LINE:0:COMP_POINT}
	else
		line="${COMP_WORDS[*]:0:COMP_CWORD+1}"
	fi
	read -r -a words <<<"$line"
	if [[ $line =~ [[:space:]]$ ]]; then
		words+=("")
	fi
	cur=${words[${#words[@]} - 1]}
	prev=
	((${#words[@]} > 1)) && prev=${words[${#words[@]} - 2]}
	COMPREPLY=()

	if ((${#words[@]} <= 2)); then
		mapfile -t COMPREPLY < <(compgen -W 'inspect verify audit gate standalone-verify policy contract
			attestation sign standalone-sign key help version --help --version' -- "$cur")
		_signet_trim "$cur"
		return 0
	fi
	cmd=${words[1]}
	sub=
	case $cmd in
	help)
		((${#words[@]} == 3)) && mapfile -t COMPREPLY < <(compgen -W 'inspect verify audit gate
			standalone-verify policy contract attestation sign standalone-sign key' -- "$cur")
		return 0
		;;
	policy | contract | key | audit | attestation)
		if ((${#words[@]} == 3)); then
			case $cmd in
			attestation) mapfile -t COMPREPLY < <(compgen -W 'verify --help' -- "$cur") ;;
			policy) mapfile -t COMPREPLY < <(compgen -W 'lint explain export --help' -- "$cur") ;;
			contract) mapfile -t COMPREPLY < <(compgen -W 'images seal verify --help' -- "$cur") ;;
			key) mapfile -t COMPREPLY < <(compgen -W 'generate --help' -- "$cur") ;;
			audit)
				# merge, render, or the first word of a SOURCE
				if [[ $cur != -* && $cur != *:* ]]; then
					mapfile -t COMPREPLY < <(compgen -W 'merge render docker:// dir: oci:' -- "$cur")
					_signet_nospace
				fi
				;;
			esac
			((${#COMPREPLY[@]} > 0)) && return 0
		fi
		sub=${words[2]}
		# audit's first word is a SOURCE or an option unless merge or render
		[[ $cmd == audit && $sub != merge && $sub != render ]] && sub=
		;;
	esac

	# The value of an option: --opt=VALUE, or the word after --opt.
	if [[ $cur == --*=* ]]; then
		if _signet_value "${cur%%=*}" "${cur#*=}"; then
			COMPREPLY=("${COMPREPLY[@]/#/${cur%%=*}=}")
			_signet_trim "$cur"
		fi
		return 0
	fi
	if [[ $prev == -* && $prev != *=* && $prev != --tls-verify ]] && _signet_value "$prev" "$cur"; then
		_signet_trim "$cur"
		return 0
	fi
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_signet_opts "$cmd" "$sub")" -- "$cur")
		return 0
	fi
	case $cmd/$sub in
	inspect/* | verify/* | sign/* | policy/explain | audit/)
		_signet_image "$cur"
		;;
	attestation/verify)
		compopt -o filenames 2>/dev/null || true # only inside a completion
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		;;
	gate/* | standalone-verify/* | standalone-sign/* | audit/merge | audit/render | policy/lint | \
		contract/seal | contract/verify)
		compopt -o filenames 2>/dev/null || true # only inside a completion
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		;;
	esac
	_signet_trim "$cur"
	return 0
}

# _signet_trim WORD: bash replaces only the part of WORD after its last
# COMP_WORDBREAKS character (':' in "dir:/x", '=' in "--key=f"): drop what
# precedes it from each reply.
_signet_trim()
{
	local head=$1 breaks=${COMP_WORDBREAKS-}
	local stripped=$head i c

	for ((i = ${#head} - 1; i >= 0; i--)); do
		c=${head:i:1}
		if [[ $c == ':' || $c == '=' ]] && [[ $breaks == *"$c"* ]]; then
			stripped=${head:0:i+1}
			break
		fi
	done
	[[ $stripped == "$head" && $i -lt 0 ]] && return 0
	COMPREPLY=("${COMPREPLY[@]#"$stripped"}")
}

complete -F _signet signet
